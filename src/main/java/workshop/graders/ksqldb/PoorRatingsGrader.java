package workshop.graders.ksqldb;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.PoorRating;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades ksqldb3 (twin: streams1, same oracle): POOR_RATINGS, a persistent query, writes every
 * rating with fewer than 3 stars, reshaped, to its topic, and no other.
 */
@Grader("ksqldb3")
class PoorRatingsGrader {

    private KsqlGrading grading;
    private List<PoorRating> expected;
    private ScriptRun run;
    private List<PoorRating> written;
    private boolean caughtUp;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS", "POOR_RATINGS");
        List<Rating> ratings = Ratings.generate(ThreadLocalRandom.current().nextLong(), 30 + ThreadLocalRandom.current().nextInt(20));
        expected = PoorRating.expected(ratings);
        Inputs.ratings(grading, ratings);
        run = grading.run(bench.target(), 1);
        caughtUp = grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        written = grading.sinkRecords("POOR_RATINGS").stream()
                .map(ConsumerRecord::value)
                .map(value -> PoorRating.fromJson(Inputs.lowerCaseNames(value)))
                .toList();
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above: ksqlDB's message says what it could not parse or find.");
    }

    @Test
    @Order(2)
    @DisplayName("POOR_RATINGS holds every rating with fewer than 3 stars, reshaped, and no other")
    void poorRatings() {
        Expect.isTrue(run.created("POOR_RATINGS"), "The file does not create the stream POOR_RATINGS", "CREATE STREAM POOR_RATINGS AS SELECT ...",
                "no such statement", "A persistent query is CREATE STREAM <name> AS SELECT ... EMIT CHANGES;");
        Expect.equal("The topic POOR_RATINGS does not hold exactly the poor ratings", expected, written,
                written.isEmpty() && !expected.isEmpty()
                        ? (caughtUp ? "Nothing was written: is the query reading from the end of the topic (SET 'auto.offset.reset' = 'latest')?"
                        : "The query did not process the ratings within " + workshop.stack.MachinePace.scale(KsqlGrading.CATCH_UP).toSeconds()
                                + " s (" + workshop.stack.MachinePace.describe() + ").")
                        : written.size() > expected.size() ? "More rows than expected: fewer than 3 stars is STARS < 3."
                        : "Select RATING_ID, USER_ID, STARS, LCASE(CHANNEL) AS CHANNEL, MESSAGE, WHERE STARS < 3.");
    }
}
