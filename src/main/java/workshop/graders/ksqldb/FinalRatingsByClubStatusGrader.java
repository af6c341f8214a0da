package workshop.graders.ksqldb;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;

/** Grades windows-sql2 (twin: windows1's finals): one count per window, once it closed (EMIT FINAL). */
@Grader("windows-sql2")
class FinalRatingsByClubStatusGrader extends ClubStatusWindowGrading {

    @Override
    String table() {
        return "RATINGS_BY_CLUB_STATUS_FINAL";
    }

    /**
     * ksqlDB's EMIT FINAL is Kafka Streams' emit-on-window-close, which looks for closed windows
     * when a record arrives, at most once a second of wall-clock time: input processed within a
     * second may close windows that are not written yet. One more rating, a second later, in the
     * last window (still open, so no final count changes), lets it write them.
     */
    @Override
    void afterInput(String topic, workshop.oracle.EnrichedRating last) {
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workshop.oracle.EnrichedRating tick = new workshop.oracle.EnrichedRating(last.ratingId() + 1, last.userId(), last.stars(),
                last.routeId(), last.ratingTime(), last.channel(), last.message(), last.firstName(), last.lastName(), last.email(),
                last.clubStatus());
        grading.produce(topic, java.util.List.of(grading.record(topic, null, String.valueOf(tick.userId()), tick.toJson())));
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
    }

    @Test
    @Order(3)
    @DisplayName("one final count per window, written when the window closed")
    void finals() {
        Expect.equal("RATINGS_BY_CLUB_STATUS_FINAL does not hold one final count per closed window",
                WindowedCounts.describe(sorted(expected.finals())), WindowedCounts.describe(sorted(written.counts())),
                written.counts().size() > expected.finals().size()
                        ? "More than one count per window: EMIT CHANGES writes every update; EMIT FINAL writes a window once it closed."
                        : written.counts().isEmpty()
                        ? "No window closed: EMIT FINAL writes a window at its end plus the GRACE PERIOD; without GRACE PERIOD "
                        + "ksqlDB waits 24 hours of event time."
                        : "SIZE 1 MINUTE, tumbling, GRACE PERIOD 10 SECONDS: a rating later than that is dropped.");
    }
}
