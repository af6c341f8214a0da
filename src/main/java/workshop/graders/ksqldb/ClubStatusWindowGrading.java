package workshop.graders.ksqldb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Workbench;
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.Timelines;
import workshop.oracle.WindowCount;
import workshop.oracle.Windowing;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades windows-sql1 and windows-sql2 (twin: windows1, same oracle and input): the talk's ratings
 * per club status per minute over joined ratings that arrive partly out of order, one within the
 * grace period, one beyond it, then one far later that closes every window.
 */
abstract class ClubStatusWindowGrading {

    KsqlGrading grading;
    Windowing.Result<EnrichedRating> expected;
    ScriptRun run;
    WindowedCounts.Read written;

    /** The table the exercise creates. */
    abstract String table();

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS_WITH_CUSTOMER_DATA", table());
        List<EnrichedRating> ratings = Timelines.clubStatusRatings(ThreadLocalRandom.current().nextLong(), 40 + ThreadLocalRandom.current().nextInt(20));
        expected = Windowing.tumbling(ratings, EnrichedRating::clubStatus, EnrichedRating::ratingTime,
                Timelines.CLUB_STATUS_WINDOW_MS, Timelines.CLUB_STATUS_GRACE_MS);
        String topic = "RATINGS_WITH_CUSTOMER_DATA";
        grading.produce(topic, ratings.stream()
                .map(r -> grading.record(topic, null, String.valueOf(r.userId()), r.toJson())).toList());
        run = grading.run(bench.target(), 1);
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        afterInput(topic, ratings.get(ratings.size() - 1));
        written = WindowedCounts.read(grading.sinkRecords(table()), Customers.CLUB_STATUSES, "RATINGS");
    }

    /** What the grading does once the query processed the input; {@code last} is the far later rating that closes the windows. */
    void afterInput(String topic, EnrichedRating last) {
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above with ksqlDB's message: WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) "
                + "comes after FROM and before GROUP BY.");
    }

    @Test
    @Order(2)
    @DisplayName("each count carries its window (WINDOWSTART and WINDOWEND in the output)")
    void windows() {
        Expect.isTrue(run.created(table()), "The file does not create the table " + table(), "CREATE TABLE " + table() + " AS SELECT ...",
                "no such statement", "A windowed count is a table: CREATE TABLE ... AS SELECT ... GROUP BY ...;");
        Expect.isTrue(!written.counts().isEmpty(), "The table " + table() + " wrote no counts", "counts", "none",
                "Is the query reading from the start (SET 'auto.offset.reset' = 'earliest';)?");
        Expect.isTrue(written.windowsShown(), "The counts do not say which minute they are for", "WINDOW_START and WINDOW_END in each row",
                "rows without them", "A count means nothing without its window: SELECT CLUB_STATUS, WINDOWSTART AS WINDOW_START, "
                        + "WINDOWEND AS WINDOW_END, COUNT(*) AS RATINGS ...");
    }

    static List<WindowCount> sorted(List<WindowCount> counts) {
        return counts.stream().sorted(Comparator.comparingLong(WindowCount::start).thenComparing(WindowCount::key)
                .thenComparingLong(WindowCount::count)).toList();
    }
}
