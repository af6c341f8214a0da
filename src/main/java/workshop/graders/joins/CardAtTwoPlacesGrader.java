package workshop.graders.joins;

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
import workshop.oracle.PossibleFraud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades joins3: one card at two places within 2 minutes, a KStream-KStream join with a grace
 * period of 1 minute. The grader writes {@link Fraud#travels} payments, keyed by card number at
 * their own time, in an order with late arrivals (one within the grace period, one beyond), and
 * expects exactly {@link Fraud#twoPlaces}.
 */
@Grader("joins3")
class CardAtTwoPlacesGrader {

    private boolean consumed;
    private String notConsumed;
    private List<PossibleFraud> expected;
    private List<ConsumerRecord<String, String>> output;

    @BeforeAll
    void runExercise(Workbench bench) {
        String payments = bench.name("card-payments");
        String fraud = bench.name("possible-fraud");
        StreamsApp.createTopic(bench, payments, 1);   // one partition: one stream time
        StreamsApp.createTopic(bench, fraud, 1);
        List<CardTransaction> input = Fraud.travels(ThreadLocalRandom.current().nextLong(), Ratings.FIRST_RATING_TIME);
        expected = Fraud.twoPlaces(input, Fraud.TWO_PLACES_WITHIN_MS, Fraud.TWO_PLACES_GRACE_MS);
        bench.broker().produce(input.stream()
                .map(t -> new ProducerRecord<>(payments, null, t.time(), t.cardNumber(), t.toJson())).toList());

        StreamsApp app = new StreamsApp(bench, "card-at-two-places");
        app.start(Map.of("PAYMENTS_TOPIC", payments, "POSSIBLE_FRAUD_TOPIC", fraud));
        consumed = app.awaitConsumed(List.of(payments), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        output = bench.broker().records(fraud);
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
    @DisplayName("each card used at two places within 2 minutes is reported once, late payments as the grace period allows")
    void pairs() {
        List<String> wanted = expected.stream().map(PossibleFraud::pair).toList();
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<String, String> record : output) {
            try {
                seen.add(PossibleFraud.fromJson(record.value()).pair());
            } catch (RuntimeException e) {
                throw Expect.fail("A record is not a possible fraud", "a PossibleFraud as JSON", String.valueOf(record.value()),
                        "Write the joiner's result with jsonSerde(PossibleFraud.class).");
            }
        }
        String hint;
        if (seen.size() > wanted.size() && seen.stream().anyMatch(p -> seen.contains(reverse(p)))) {
            hint = "A pair came both ways round: the join offers each pair twice (each payment meets the other). Keep the one where the second payment is later.";
        } else if (seen.size() > wanted.size()) {
            hint = "Too many pairs: two payments at the same place are no fraud; two payments more than 2 minutes apart are not joined "
                    + "(JoinWindows.ofTimeDifferenceAndGrace(WITHIN, GRACE)); a payment that arrives more than the grace period late is dropped; "
                    + "and the window is on event time, the payments' own timestamps, not on the time they are processed.";
        } else {
            hint = "Missing pairs: the grace period (1 minute) lets a payment that arrives late still meet the other; without it, it is dropped.";
        }
        Expect.equal("The possible frauds (first->second transaction) are not the expected ones", wanted, seen, hint);
    }

    private static String reverse(String pair) {
        String[] ids = pair.split("->");
        return ids[1] + "->" + ids[0];
    }

    @Test
    @Order(3)
    @DisplayName("each is keyed by the card number, the earlier payment first")
    void shape() {
        Expect.isTrue(!output.isEmpty(), "No output to check", "possible frauds", "none", "See the check above.");
        for (ConsumerRecord<String, String> record : output) {
            PossibleFraud got = PossibleFraud.fromJson(record.value());
            Expect.equal("A possible fraud is not keyed by its card", got.cardNumber(), String.valueOf(record.key()),
                    "The join keeps the key of the payments: the card number.");
            Expect.isTrue(got.firstTime() < got.secondTime(), "A possible fraud names the later payment first",
                    "first_time < second_time", got.firstTime() + " >= " + got.secondTime(), "Keep the pair where the second payment is the later one.");
        }
    }
}
