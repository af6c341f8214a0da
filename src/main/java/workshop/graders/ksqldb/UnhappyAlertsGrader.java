package workshop.graders.ksqldb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.WorkshopRoot;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.RatingsJoin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades ksqldb4: a ksqldb-api-client program whose push query on UNHAPPY_PLATINUM_CUSTOMERS
 * prints the alerts already in the stream, then each new one as it happens. The stream is made
 * by module 11's solution; half of the ratings arrive only after the program printed its first
 * alert, so a program that asks once (a pull query) misses them.
 */
@Grader("ksqldb4")
class UnhappyAlertsGrader {

    static final Duration PROGRAM_WAIT = Duration.ofSeconds(90);

    private KsqlGrading grading;
    private List<Long> before;
    private List<Long> after;
    private boolean sawFirst;
    private ProgramRun run;

    @BeforeAll
    void runExercise(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS", "CUSTOMERS", "RATINGS_WITH_CUSTOMER_DATA", "UNHAPPY_PLATINUM_CUSTOMERS");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Rating> ratings;
        List<Customers.Change> customers;
        List<EnrichedRating> alerts;
        int split;
        do { // both halves must hold alerts
            ratings = Ratings.generate(random.nextLong(), 60);
            List<Long> times = ratings.stream().map(Rating::ratingTime).toList();
            customers = Customers.history(random.nextLong(), ratings.get(0).ratingTime() - 60_000, ratings.get(29).ratingTime(), 8, times);
            alerts = RatingsJoin.unhappyPlatinum(RatingsJoin.withCustomers(ratings, customers));
            split = 30;
        } while (alerts.stream().filter(a -> a.ratingId() <= 30).count() < 1 || alerts.stream().filter(a -> a.ratingId() > 30).count() < 1);
        before = alerts.stream().filter(a -> a.ratingId() <= 30).map(EnrichedRating::ratingId).toList();
        after = alerts.stream().filter(a -> a.ratingId() > 30).map(EnrichedRating::ratingId).toList();
        Inputs.customers(grading, customers);
        Inputs.ratings(grading, ratings.subList(0, split));
        ScriptRun setup = grading.run(WorkshopRoot.find().resolve("solutions/11-joins/unhappy-platinum.sql"), 1);
        setup.failure().ifPresent(f -> {
            throw new IllegalStateException("The grader could not create UNHAPPY_PLATINUM_CUSTOMERS: " + f.describe());
        });
        // The first half's alerts are in the stream before the program starts: else a program that reads from
        // the end (latest) still sees those the query writes later, on a busy machine, and passes.
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        RunningProgram program = bench.program().start(Map.of(
                "STREAM", grading.prefixed("UNHAPPY_PLATINUM_CUSTOMERS"),
                "MAX_ALERTS", String.valueOf(alerts.size())));
        sawFirst = program.awaitOutput(line -> line.startsWith(before.get(0) + "\t"), PROGRAM_WAIT);
        Inputs.ratings(grading, ratings.subList(split, ratings.size()));
        run = program.await(PROGRAM_WAIT);
    }

    private List<Long> printedIds() {
        return run.stdout().stream()
                .filter(line -> line.matches("\\d+\\t.*"))
                .map(line -> Long.parseLong(line.substring(0, line.indexOf('\t'))))
                .toList();
    }

    @Test
    @Order(1)
    @DisplayName("the program prints the alerts already in the stream, one line each")
    void alertsSoFar() {
        List<Long> printed = printedIds();
        Expect.isTrue(sawFirst && printed.containsAll(before), "The program does not print the alerts already in the stream",
                "ratings " + before, "printed " + printed,
                printed.isEmpty() ? "client.streamQuery(\"SELECT ... FROM \" + STREAM + \" EMIT CHANGES;\", "
                        + "Map.of(\"auto.offset.reset\", \"earliest\")).get(), then poll() each row and print it."
                        : "Read from the start of the stream: the property auto.offset.reset = earliest.");
    }

    @Test
    @Order(2)
    @DisplayName("it prints each new alert as it happens, then stops after MAX_ALERTS")
    void newAlerts() {
        List<Long> printed = printedIds();
        Expect.isTrue(printed.containsAll(after), "The program misses the alerts that came after it started",
                "also ratings " + after, "printed " + printed,
                "A pull query (executeQuery) answers once; a push query (streamQuery, EMIT CHANGES) keeps the rows coming.");
        Expect.equal("The program prints alerts twice, or others", java.util.stream.Stream.concat(before.stream(), after.stream()).toList(),
                printed, "One line per row of the push query.");
        run.expectSuccess("Stop after MAX_ALERTS rows: the loop ends when printed == MAX_ALERTS.");
    }

    @Test
    @Order(3)
    @DisplayName("each line shows the rating id, the customer's name, the stars and the message")
    void lines() {
        List<String> lines = run.stdout().stream().filter(line -> line.matches("\\d+\\t.*")).toList();
        Expect.isTrue(!lines.isEmpty() && lines.stream().allMatch(line -> line.matches("\\d+\\t\\S+ \\S+\\t[12]\\t.+")),
                "The lines do not show rating id, name, stars and message", "e.g. 17<TAB>Tobias Quenneville<TAB>1<TAB>worst. flight. ever.",
                lines.isEmpty() ? "no line" : lines.get(0),
                "System.out.printf(\"%d\\t%s %s\\t%d\\t%s%n\", row.getLong(\"RATING_ID\"), ...);");
    }
}
