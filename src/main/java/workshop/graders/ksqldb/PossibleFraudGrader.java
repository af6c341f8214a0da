package workshop.graders.ksqldb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.CardTransaction;
import workshop.oracle.Fraud;
import workshop.oracle.WindowCount;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades windows-sql3 (twin: windows3, same oracle and input): the talk's possible_fraud. What
 * the table holds in the end (the last row written per card and window) must be exactly the
 * oracle's alerts: more than 3 payments in 5 s, with a 3 s grace period.
 */
@Grader("windows-sql3")
class PossibleFraudGrader {

    private KsqlGrading grading;
    private List<WindowCount> expected;
    private List<String> cards;
    private ScriptRun run;
    private WindowedCounts.Read written;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "PAYMENTS", "POSSIBLE_FRAUD");
        long start = Ratings.FIRST_RATING_TIME; // a multiple of 5 s
        List<CardTransaction> payments = Fraud.bursts(ThreadLocalRandom.current().nextLong(), start);
        cards = payments.stream().map(CardTransaction::cardNumber).distinct().toList();
        expected = ClubStatusWindowGrading.sorted(Fraud.burstAlerts(payments, Fraud.BURST_GRACE_MS));
        grading.produce("payments", payments.stream()
                .map(payment -> grading.record("payments", null, payment.cardNumber(), payment.toJson())).toList());
        run = grading.run(bench.target(), 1);
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        written = WindowedCounts.read(grading.sinkRecords("POSSIBLE_FRAUD"), cards, "PAYMENT_COUNT");
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above with ksqlDB's message: a condition on COUNT(*) goes in HAVING, "
                + "after GROUP BY (WHERE filters single payments, before they are counted).");
    }

    @Test
    @Order(2)
    @DisplayName("each alert carries its window (WINDOWSTART and WINDOWEND in the output)")
    void windows() {
        Expect.isTrue(run.created("POSSIBLE_FRAUD"), "The file does not create the table POSSIBLE_FRAUD", "CREATE TABLE POSSIBLE_FRAUD AS SELECT ...",
                "no such statement", "A windowed count is a table: CREATE TABLE ... AS SELECT ... GROUP BY ...;");
        Expect.isTrue(!written.counts().isEmpty() && written.windowsShown(), "The alerts do not say which 5 seconds they are for",
                "WINDOW_START and WINDOW_END in each row", written.counts().isEmpty() ? "no rows" : "rows without them",
                "SELECT CARD_NUMBER, WINDOWSTART AS WINDOW_START, WINDOWEND AS WINDOW_END, COUNT(*) AS PAYMENT_COUNT ...");
    }

    @Test
    @Order(3)
    @DisplayName("the table holds exactly the windows with more than 3 payments of one card")
    void alerts() {
        Map<String, WindowCount> latest = new LinkedHashMap<>();
        written.counts().forEach(count -> latest.put(count.window(), count));
        List<WindowCount> table = ClubStatusWindowGrading.sorted(new ArrayList<>(latest.values()));
        Expect.equal("POSSIBLE_FRAUD does not hold exactly the suspicious windows", WindowedCounts.describe(expected),
                WindowedCounts.describe(table),
                table.size() > expected.size()
                        ? "Extra alerts: more than 3 is HAVING COUNT(*) > 3; a payment that arrives more than the GRACE PERIOD "
                        + "(3 SECONDS) after its window ended must not count (without GRACE PERIOD, ksqlDB waits 24 hours)."
                        : "Missing alerts: windows of 5 SECONDS, tumbling, and a GRACE PERIOD of 3 SECONDS for a payment that "
                        + "arrives just after its window ended.");
    }
}
