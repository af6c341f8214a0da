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
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.RatingsJoin;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades joins-sql1 (twin: joins1) and joins-sql2 (twin: joins2) with the shared oracle: the
 * learner's stream-table LEFT JOIN of the ratings with the customers (whose club status changes
 * while the ratings come in), and the unhappy platinum customers filtered from it.
 */
abstract class JoinedRatingsGrading {

    KsqlGrading grading;
    List<EnrichedRating> joined;
    ScriptRun run;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS", "CUSTOMERS", "RATINGS_WITH_CUSTOMER_DATA", "UNHAPPY_PLATINUM_CUSTOMERS");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Rating> ratings;
        List<Customers.Change> customers;
        do { // inputs that tell the typical mistakes apart: a 3-star and a poor rating of platinum customers, a poor one of others
            ratings = Ratings.generate(random.nextLong(), 40 + random.nextInt(20));
            long first = ratings.get(0).ratingTime();
            long last = ratings.get(ratings.size() - 1).ratingTime();
            customers = Customers.history(random.nextLong(), first - 60_000, last, 12, ratings.stream().map(Rating::ratingTime).toList());
            joined = RatingsJoin.withCustomers(ratings, customers);
        } while (joined.stream().noneMatch(r -> r.stars() == 3 && "platinum".equals(r.clubStatus()))
                || joined.stream().noneMatch(r -> r.stars() < 3 && "platinum".equals(r.clubStatus()))
                || joined.stream().noneMatch(r -> r.stars() < 3 && r.clubStatus() != null && !"platinum".equals(r.clubStatus())));
        Inputs.customers(grading, customers);
        Inputs.ratings(grading, ratings);
        run = grading.run(bench.target(), 1);
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
    }

    /** What the stream holds, as the oracle's records, in rating order (a re-keyed join may interleave partitions). */
    List<EnrichedRating> written(String stream) {
        return grading.sinkRecords(stream).stream()
                .map(ConsumerRecord::value)
                .map(value -> Inputs.read(value, EnrichedRating.class))
                .sorted(Comparator.comparingLong(EnrichedRating::ratingId))
                .toList();
    }

    void expectStream(String stream, List<EnrichedRating> expected, String hint) {
        Expect.isTrue(run.created(stream), "The file does not create the stream " + stream, "CREATE STREAM " + stream + " AS SELECT ...",
                "no such statement", "A persistent query: CREATE STREAM " + stream + " AS SELECT ... EMIT CHANGES;");
        List<EnrichedRating> written = written(stream);
        if (written.size() == expected.size()) {
            for (int i = 0; i < expected.size(); i++) {
                if (!expected.get(i).equals(written.get(i))) {
                    throw Expect.fail(stream + " has a wrong row for rating " + expected.get(i).ratingId(),
                            expected.get(i).toJson(), written.get(i).toJson(), hint);
                }
            }
            return;
        }
        Expect.equal(stream + " does not hold the rows expected", expected.size() + " rows", written.size() + " rows", hint);
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above with ksqlDB's message. A join's two sides must have the same type: "
                + "CAST(R.USER_ID AS VARCHAR) = C.ID. The join key must be in the SELECT list.");
    }
}
