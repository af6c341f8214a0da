package workshop.graders.ksqldb;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;

/** Grades windows-sql1 (twin: windows1's updates): every change of every count, as it happens (EMIT CHANGES). */
@Grader("windows-sql1")
class RatingsByClubStatusGrader extends ClubStatusWindowGrading {

    @Override
    String table() {
        return "RATINGS_BY_CLUB_STATUS";
    }

    @Test
    @Order(3)
    @DisplayName("every change of a count is written, in 1-minute windows with a 10 s grace period")
    void updates() {
        Expect.equal("RATINGS_BY_CLUB_STATUS does not hold the updates expected",
                WindowedCounts.describe(sorted(expected.updates())), WindowedCounts.describe(sorted(written.counts())),
                written.counts().size() < expected.updates().size()
                        ? "Fewer updates: EMIT CHANGES writes each new count; a GRACE PERIOD of 10 SECONDS still counts a rating "
                        + "that arrives just after its minute ended."
                        : "More updates or other windows: SIZE 1 MINUTE, tumbling, and GRACE PERIOD 10 SECONDS (without it, a "
                        + "rating that arrives long after its minute still counts).");
    }
}
