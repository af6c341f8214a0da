package workshop.graders.windows;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Ratings;
import workshop.graders.streams.StreamsApp;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.CardTransaction;
import workshop.oracle.Fraud;
import workshop.oracle.WindowCount;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades windows3: more than 3 payments with one card in a 5-second tumbling window, grace 3 s.
 * The grader writes {@link Fraud#bursts} (a card with 5 payments in a window, one with 4 whose
 * last arrives within the grace period, one with 3 plus one beyond the grace period, one with 4
 * across two windows, a last payment that closes every window) and expects {@link Fraud#burstAlerts}.
 */
@Grader("windows3")
class FraudAlertsGrader {

    private boolean consumed;
    private String notConsumed;
    private List<WindowCount> expected;
    private List<ConsumerRecord<String, String>> output;

    @BeforeAll
    void runExercise(Workbench bench) {
        String payments = bench.name("card-payments");
        String alerts = bench.name("fraud-alerts");
        StreamsApp.createTopic(bench, payments, 1);
        StreamsApp.createTopic(bench, alerts, 1);
        List<CardTransaction> input = Fraud.bursts(ThreadLocalRandom.current().nextLong(), Ratings.FIRST_RATING_TIME);
        expected = Fraud.burstAlerts(input, Fraud.BURST_GRACE_MS);
        bench.broker().produce(input.stream()
                .map(t -> new ProducerRecord<>(payments, null, t.time(), t.cardNumber(), t.toJson())).toList());

        StreamsApp app = new StreamsApp(bench, "fraud-alerts");
        app.start(Map.of("PAYMENTS_TOPIC", payments, "FRAUD_ALERTS_TOPIC", alerts));
        consumed = app.awaitConsumed(List.of(payments), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        output = bench.broker().records(alerts);
    }

    @Test
    @Order(1)
    @DisplayName("the application processes every payment and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of the payments", notConsumed,
                "Run it yourself and read what it prints.");
    }

    @Test
    @Order(2)
    @DisplayName("one alert per card and 5 s window with more than 3 payments, with the window's final count")
    void alerts() {
        List<WindowCount> actual = WindowedOutput.read(output);
        List<WindowCount> wanted = WindowedOutput.sorted(expected);
        String hint = actual.stream().anyMatch(c -> c.count() <= Fraud.MORE_THAN)
                ? "An alert with " + Fraud.MORE_THAN + " payments or fewer: keep the counts > " + Fraud.MORE_THAN + " (the talk's HAVING COUNT(*) > 3)."
                : WindowedOutput.hint(wanted, actual, Fraud.BURST_WINDOW_MS, Fraud.BURST_GRACE_MS, true);
        Expect.equal("The fraud alerts are not the expected ones", WindowedOutput.lines(wanted), WindowedOutput.lines(WindowedOutput.sorted(actual)), hint);
    }
}
