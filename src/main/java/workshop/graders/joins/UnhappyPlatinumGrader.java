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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades joins2: the talk's unhappy platinum customers. The grader writes ratings joined with
 * their customers (as joins1 writes them, unknown users included), runs the application until
 * its group has committed them, and expects exactly {@link RatingsJoin#unhappyPlatinum} on the
 * output topic, unchanged.
 */
@Grader("joins2")
class UnhappyPlatinumGrader {

    private boolean consumed;
    private String notConsumed;
    private List<EnrichedRating> expected;
    private List<ConsumerRecord<String, String>> output;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String input = bench.name("ratings-with-customers");
        String unhappy = bench.name("unhappy-platinum");
        StreamsApp.createTopic(bench, input, 2);
        StreamsApp.createTopic(bench, unhappy, 1);
        List<EnrichedRating> joined;
        do {
            List<Rating> ratings = Ratings.generate(random.nextLong(), 60 + random.nextInt(20));
            List<Customers.Change> history = Customers.history(random.nextLong(), Ratings.FIRST_RATING_TIME - 1,
                    ratings.get(ratings.size() - 1).ratingTime(), 4, ratings.stream().map(Rating::ratingTime).toList());
            joined = RatingsJoin.withCustomers(ratings, history);
            expected = RatingsJoin.unhappyPlatinum(joined);
        } while (expected.size() < 2 || !boundaryCases(joined));
        bench.broker().produce(joined.stream()
                .map(r -> new ProducerRecord<>(input, null, r.ratingTime(), String.valueOf(r.userId()), r.toJson())).toList());

        StreamsApp app = new StreamsApp(bench, "unhappy-platinum");
        app.start(Map.of("RATINGS_WITH_CUSTOMERS_TOPIC", input, "UNHAPPY_PLATINUM_TOPIC", unhappy));
        consumed = app.awaitConsumed(List.of(input), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        output = bench.broker().records(unhappy);
    }

    @Test
    @Order(1)
    @DisplayName("the application processes every joined rating, unknown users' too, and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of the topic", notConsumed,
                notConsumed.contains("NullPointerException")
                        ? "Ratings of users who are not customers have club_status null: \"platinum\".equals(rating.clubStatus()) is safe, rating.clubStatus().equals(\"platinum\") is not."
                        : "Run it yourself and read what it prints.");
    }

    @Test
    @Order(2)
    @DisplayName("exactly the ratings of platinum customers with fewer than 3 stars reach the topic, unchanged")
    void unhappyPlatinumOnly() {
        // Order holds per partition (per user) only: compare in rating_id order.
        java.util.Comparator<String> byRatingId = java.util.Comparator.comparingLong(UnhappyPlatinumGrader::ratingId);
        List<String> wanted = expected.stream().map(EnrichedRating::toJson).sorted(byRatingId).toList();
        List<String> seen = output.stream().map(r -> {
            try {
                return EnrichedRating.fromJson(r.value()).toJson();
            } catch (RuntimeException e) {
                return r.value();
            }
        }).sorted(byRatingId).toList();
        boolean threeStars = output.stream().anyMatch(r -> r.value() != null && r.value().contains("\"stars\":3"));
        Expect.equal("The topic does not hold exactly the unhappy platinum customers' ratings", String.join("\n", wanted), String.join("\n", seen),
                threeStars ? "A rating of 3 stars is not unhappy: stars < 3."
                        : seen.size() > wanted.size() ? "Keep only club_status platinum (in lower case, as the table holds it) and stars < 3."
                        : "filter((user, rating) -> rating.stars() < 3 && \"platinum\".equals(rating.clubStatus())), values unchanged.");
    }

    /**
     * Whether the input holds the cases a wrong filter gets wrong, whatever the random draw: a
     * platinum customer's 3 stars (not unhappy), a poor rating of a customer who is not platinum,
     * and one of a user who is no customer (club_status null).
     */
    static boolean boundaryCases(List<EnrichedRating> joined) {
        return joined.stream().anyMatch(r -> r.stars() == 3 && "platinum".equals(r.clubStatus()))
                && joined.stream().anyMatch(r -> r.stars() < 3 && r.clubStatus() != null && !"platinum".equals(r.clubStatus()))
                && joined.stream().anyMatch(r -> r.clubStatus() == null);
    }

    private static long ratingId(String json) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"rating_id\":(\\d+)").matcher(String.valueOf(json));
        return id.find() ? Long.parseLong(id.group(1)) : Long.MAX_VALUE;
    }
}
