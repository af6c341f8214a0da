package workshop.graders.joins;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.graders.streams.StreamsApp;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.RatingsJoin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades joins1: ratings LEFT JOIN customers. The grader writes the customers as module 7's CDC
 * does (one record per row, keyed by id, on a topic of one partition) and ratings keyed by
 * rating_id on two partitions, so that only ratings re-keyed by user_id meet their customers.
 * First the customers and half of the ratings; once the application has processed them, a few
 * customers change club status, then the other ratings come. Expected: {@link RatingsJoin#withCustomers}.
 */
@Grader("joins1")
class RatingsWithCustomersGrader {

    private boolean consumed;
    private String notConsumed;
    private List<EnrichedRating> expected;
    private List<Customers.Change> changes;
    private List<ConsumerRecord<String, String>> output;
    private final Map<Long, EnrichedRating> seen = new TreeMap<>();
    private String unreadable;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String ratingsTopic = bench.name("ratings");
        String customersTopic = bench.name("customers");
        String outputTopic = bench.name("ratings-with-customers");
        StreamsApp.createTopic(bench, ratingsTopic, 2);
        StreamsApp.createTopic(bench, customersTopic, 1);
        StreamsApp.createTopic(bench, outputTopic, 1);

        List<Rating> ratings;
        List<Customers.Change> history;
        int half;
        do { // a grading where a customer changes between two of its ratings
            ratings = Ratings.generate(random.nextLong(), 50 + random.nextInt(10));
            half = ratings.size() / 2;
            history = Customers.history(random.nextLong(), Ratings.FIRST_RATING_TIME - 3_600_000,
                    ratings.get(half - 1).ratingTime(), ratings.get(half).ratingTime(), 4,
                    ratings.stream().map(Rating::ratingTime).toList());
            expected = RatingsJoin.withCustomers(ratings, history);
        } while (!someCustomerChangesBetweenRatings(expected, half));
        changes = history;

        StreamsApp app = new StreamsApp(bench, "ratings-with-customers");
        List<Customers.Change> initial = history.stream().filter(c -> c.time() < Ratings.FIRST_RATING_TIME).toList();
        List<Customers.Change> updates = history.stream().filter(c -> c.time() >= Ratings.FIRST_RATING_TIME).toList();
        bench.broker().produce(initial.stream().map(c -> customer(customersTopic, c)).toList());
        bench.broker().produce(ratings.subList(0, half).stream().map(r -> rating(ratingsTopic, r)).toList());
        app.start(Map.of("RATINGS_TOPIC", ratingsTopic, "CUSTOMERS_TOPIC", customersTopic, "RATINGS_WITH_CUSTOMERS_TOPIC", outputTopic));
        consumed = app.awaitConsumed(List.of(ratingsTopic, customersTopic), StreamsApp.PROGRESS_TIMEOUT);
        if (consumed) {
            bench.broker().produce(updates.stream().map(c -> customer(customersTopic, c)).toList());
            bench.broker().produce(ratings.subList(half, ratings.size()).stream().map(r -> rating(ratingsTopic, r)).toList());
            consumed = app.awaitConsumed(List.of(ratingsTopic, customersTopic), StreamsApp.PROGRESS_TIMEOUT);
        }
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        output = bench.broker().records(outputTopic);
        for (ConsumerRecord<String, String> record : output) {
            try {
                EnrichedRating joined = EnrichedRating.fromJson(record.value());
                seen.merge(joined.ratingId(), joined, (a, b) -> a);
            } catch (RuntimeException e) {
                unreadable = record.value();
            }
        }
    }

    private static boolean someCustomerChangesBetweenRatings(List<EnrichedRating> joined, int half) {
        for (EnrichedRating before : joined.subList(0, half)) {
            for (EnrichedRating after : joined.subList(half, joined.size())) {
                if (before.userId() == after.userId() && before.clubStatus() != null && !before.clubStatus().equals(after.clubStatus())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ProducerRecord<String, String> customer(String topic, Customers.Change change) {
        return new ProducerRecord<>(topic, null, change.time(), change.customer().key(), change.customer().toJson());
    }

    private static ProducerRecord<String, String> rating(String topic, Rating rating) {
        return new ProducerRecord<>(topic, null, rating.ratingTime(), String.valueOf(rating.ratingId()), rating.toJson());
    }

    @Test
    @Order(1)
    @DisplayName("the application processes the ratings and the customers' changes, and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of ratings and customers",
                notConsumed, notConsumed.contains("co-partition") || notConsumed.contains("partitions")
                        ? "Ratings and customers must be partitioned alike to be joined: re-key the ratings by user_id (selectKey) before the join; Kafka Streams then repartitions them."
                        : "Run it yourself and read what it prints.");
    }

    @Test
    @Order(2)
    @DisplayName("every rating comes out joined, once, those of unknown users too (a LEFT join)")
    void everyRatingOnce() {
        Expect.isTrue(unreadable == null, "A record is not a joined rating", "the rating's fields and the customer's, as JSON",
                String.valueOf(unreadable), "Write the joined value with jsonSerde(RatingWithCustomer.class).");
        List<Long> missing = expected.stream().map(EnrichedRating::ratingId).filter(id -> !seen.containsKey(id)).toList();
        boolean unknownMissing = !missing.isEmpty() && expected.stream().filter(e -> missing.contains(e.ratingId())).allMatch(e -> e.userId() > 20);
        Expect.isTrue(missing.isEmpty() && output.size() == expected.size(), "Not every rating came out joined exactly once",
                expected.size() + " records, one per rating", output.size() + " records, missing ratings " + missing,
                output.isEmpty() ? "Nothing came out: no match at all happens when the ratings are not keyed like the customers (by user_id)."
                        : unknownMissing ? "The ratings of users who are not customers are missing: that is an inner join. Use leftJoin, the joiner gets null for the customer."
                        : "Each rating must be joined once, with leftJoin on the customers' KTable.");
    }

    @Test
    @Order(3)
    @DisplayName("each joined rating is keyed by its user_id")
    void keyedByUser() {
        Expect.isTrue(!output.isEmpty(), "No output to check", "joined ratings", "none", "See the checks above.");
        for (ConsumerRecord<String, String> record : output) {
            EnrichedRating joined = EnrichedRating.fromJson(record.value());
            Expect.equal("Rating " + joined.ratingId() + " is not keyed by its user", String.valueOf(joined.userId()), String.valueOf(record.key()),
                    "selectKey((key, rating) -> String.valueOf(rating.userId())) before the join: the join looks up the customer with the record's key.");
        }
    }

    @Test
    @Order(4)
    @DisplayName("ratings of users who are not customers keep null customer fields")
    void unknownUsers() {
        for (EnrichedRating wanted : expected) {
            EnrichedRating got = seen.get(wanted.ratingId());
            if (wanted.userId() > 20 && got != null) {
                Expect.isTrue(got.clubStatus() == null && got.firstName() == null,
                        "Rating " + wanted.ratingId() + " of user " + wanted.userId() + " (not a customer) got customer data",
                        "null first_name, last_name, email, club_status", got.firstName() + " " + got.lastName() + ", " + got.clubStatus(),
                        "The user is not in the customers table: when the joiner gets customer == null, leave its fields null.");
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("each rating carries its customer's row as it was at the rating's time: a change alters only later ratings")
    void customerAtRatingTime() {
        Expect.isTrue(!seen.isEmpty(), "No output to check", "joined ratings", "none", "See the checks above.");
        for (EnrichedRating wanted : expected) {
            EnrichedRating got = seen.get(wanted.ratingId());
            if (got == null || wanted.userId() > 20) {
                continue;
            }
            boolean same = Objects.equals(wanted.clubStatus(), got.clubStatus()) && Objects.equals(wanted.firstName(), got.firstName())
                    && Objects.equals(wanted.lastName(), got.lastName()) && Objects.equals(wanted.email(), got.email())
                    && wanted.stars() == got.stars() && Objects.equals(wanted.message(), got.message());
            if (!same) {
                boolean changed = changes.stream().anyMatch(c -> c.customer().id() == wanted.userId() && c.time() >= Ratings.FIRST_RATING_TIME);
                throw Expect.fail("Rating " + wanted.ratingId() + " of customer " + wanted.userId() + " carries the wrong customer data",
                        wanted.toJson(), got.toJson(),
                        got.clubStatus() == null ? "No customer was found: join the ratings with a KTable of the customers (builder.table), which holds every customer's latest row, not with a stream of their changes."
                                : changed ? "This customer changed club status between two ratings: a stream-table join looks the customer up when the rating arrives, so the change shows in the later ratings only."
                                : "Copy the customer's fields into the joined value: first_name, last_name, email, club_status.");
            }
        }
    }
}
