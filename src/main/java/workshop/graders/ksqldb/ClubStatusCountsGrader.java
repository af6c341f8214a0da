package workshop.graders.ksqldb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.RatingsJoin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades ksqldb5: a ksqldb-api-client program whose pull query prints the current count of
 * ratings per club status, from a table the grader keeps over joined ratings.
 */
@Grader("ksqldb5")
class ClubStatusCountsGrader {

    /** The table of the exercise's javadoc, over module 11's joined ratings. */
    static final String SETUP = """
            CREATE STREAM RATINGS_WITH_CUSTOMER_DATA (
                CUSTOMER_ID VARCHAR KEY, RATING_ID BIGINT, USER_ID INT, STARS INT, ROUTE_ID INT, RATING_TIME BIGINT,
                CHANNEL VARCHAR, MESSAGE VARCHAR, FIRST_NAME VARCHAR, LAST_NAME VARCHAR, EMAIL VARCHAR, CLUB_STATUS VARCHAR
            ) WITH (KAFKA_TOPIC = 'RATINGS_WITH_CUSTOMER_DATA', VALUE_FORMAT = 'JSON', TIMESTAMP = 'RATING_TIME');
            CREATE TABLE RATINGS_PER_CLUB_STATUS AS
                SELECT CLUB_STATUS, COUNT(*) AS RATINGS
                FROM RATINGS_WITH_CUSTOMER_DATA
                GROUP BY CLUB_STATUS
                EMIT CHANGES;
            """;

    private KsqlGrading grading;
    private Map<String, Long> expected;
    private ProgramRun run;

    @BeforeAll
    void runExercise(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS_WITH_CUSTOMER_DATA", "RATINGS_PER_CLUB_STATUS");
        List<Rating> ratings = Ratings.generate(ThreadLocalRandom.current().nextLong(), 30 + ThreadLocalRandom.current().nextInt(30));
        List<Customers.Change> customers = Customers.initial(ratings.get(0).ratingTime() - 60_000).stream()
                .map(customer -> new Customers.Change(customer.updateTs(), customer)).toList();
        List<EnrichedRating> joined = RatingsJoin.withCustomers(ratings, customers);
        // The count of a GROUP BY: users who are not customers have no status and are not counted.
        expected = new TreeMap<>(joined.stream().filter(r -> r.clubStatus() != null)
                .collect(Collectors.groupingBy(EnrichedRating::clubStatus, Collectors.counting())));
        String topic = "RATINGS_WITH_CUSTOMER_DATA";
        grading.produce(topic, joined.stream().map(r -> grading.record(topic, null, String.valueOf(r.userId()), r.toJson())).toList());
        Path setup = bench.writeScratchFile("club-status-counts.sql", SETUP);
        ScriptRun created = grading.run(setup, 1);
        created.failure().ifPresent(f -> {
            throw new IllegalStateException("The grader could not create RATINGS_PER_CLUB_STATUS: " + f.describe());
        });
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        run = bench.program().run(Map.of("TABLE", grading.prefixed("RATINGS_PER_CLUB_STATUS")), java.time.Duration.ofSeconds(60));
    }

    @Test
    @Order(1)
    @DisplayName("the program answers and ends by itself")
    void ends() {
        run.expectSuccess("A pull query (client.executeQuery(...).get()) answers at once; a push query (EMIT CHANGES) never ends.");
    }

    @Test
    @Order(2)
    @DisplayName("it prints each club status with its current count")
    void counts() {
        Map<String, Long> printed = new TreeMap<>();
        run.stdout().stream().filter(line -> line.matches("\\w+\\t\\d+")).forEach(line -> {
            String[] fields = line.split("\t");
            printed.put(fields[0], Long.parseLong(fields[1]));
        });
        Expect.equal("The program does not print the current count of each club status", expected, printed,
                printed.isEmpty() ? "SELECT CLUB_STATUS, RATINGS FROM \" + TABLE + \"; then one line per row: status, tab, count."
                        : "Print every row of the answer, as it is.");
    }
}
