package workshop.graders.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades streams1: a stateless topology. The grader writes fresh ratings (keyed by rating_id, at
 * their rating_time), runs the application until its group has committed them all, and compares
 * the output topic with {@link PoorRating#expected}: exactly the poor ratings, once each, keyed by
 * user_id, reshaped.
 */
@Grader("streams1")
class PoorRatingsGrader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private boolean consumed;
    private String notConsumed;
    private List<PoorRating> expected;
    private List<ConsumerRecord<String, String>> output;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String ratings = bench.name("ratings");
        String poor = bench.name("poor-ratings");
        StreamsApp.createTopic(bench, ratings, 2);
        StreamsApp.createTopic(bench, poor, 1);
        List<Rating> input = Ratings.generate(random.nextLong(), 40 + random.nextInt(20));
        expected = PoorRating.expected(input);
        bench.broker().produce(input.stream()
                .map(r -> new ProducerRecord<>(ratings, null, r.ratingTime(), String.valueOf(r.ratingId()), r.toJson()))
                .toList());

        StreamsApp app = new StreamsApp(bench, "poor-ratings");
        app.start(Map.of("RATINGS_TOPIC", ratings, "POOR_RATINGS_TOPIC", poor));
        consumed = app.awaitConsumed(List.of(ratings), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        output = bench.broker().records(poor);
    }

    @Test
    @Order(1)
    @DisplayName("the application processes every rating and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of the ratings topic",
                notConsumed, "Run it yourself and read what it prints; it must keep running (streams.start()) until stopped.");
    }

    @Test
    @Order(2)
    @DisplayName("exactly the poor ratings (stars < 3) reach the output, once each")
    void poorRatingsOnly() {
        Map<Long, Integer> seen = new TreeMap<>();
        for (ConsumerRecord<String, String> record : output) {
            seen.merge(read(record).path("rating_id").asLong(-1), 1, Integer::sum);
        }
        Map<Long, Integer> wanted = new TreeMap<>();
        expected.forEach(p -> wanted.put(p.ratingId(), 1));
        String hint = output.isEmpty() ? "Nothing came out: is the topology's last step .to(POOR_RATINGS_TOPIC, ...)?"
                : seen.values().stream().anyMatch(n -> n > 1) ? "Some ratings came out more than once: write each record once, with one .to(...)."
                : seen.size() > wanted.size() ? "Some ratings with 3 stars or more came through: filter on stars < 3."
                : "Keep a rating when rating.stars() < 3.";
        Expect.equal("The output does not hold exactly the poor ratings (rating_id=times seen)", wanted, seen, hint);
    }

    @Test
    @Order(3)
    @DisplayName("each poor rating is keyed by its user_id")
    void keyedByUser() {
        Expect.isTrue(!output.isEmpty(), "No output to check", "poor ratings", "none", "See the check above.");
        for (ConsumerRecord<String, String> record : output) {
            String user = read(record).path("user_id").asText();
            Expect.equal("Rating " + read(record).path("rating_id").asText() + " is not keyed by its user", user,
                    String.valueOf(record.key()),
                    "Re-key with map((key, rating) -> KeyValue.pair(String.valueOf(rating.userId()), ...)) or selectKey: joins and tables later look ratings up by user.");
        }
    }

    @Test
    @Order(4)
    @DisplayName("each is reshaped: rating_id, user_id, stars, channel in lower case, message")
    void reshaped() {
        Expect.isTrue(!output.isEmpty(), "No output to check", "poor ratings", "none", "See the checks above.");
        Map<Long, PoorRating> byId = new TreeMap<>();
        expected.forEach(p -> byId.put(p.ratingId(), p));
        for (ConsumerRecord<String, String> record : output) {
            JsonNode value = read(record);
            PoorRating wanted = byId.get(value.path("rating_id").asLong(-1));
            if (wanted == null) {
                continue; // reported by the check above
            }
            Expect.equal("Rating " + wanted.ratingId() + " has the wrong shape", read(wanted.toJson()), value,
                    "Exactly these five fields, named in snake_case; the channel in lower case (\"iOS\" and \"ios\" are one channel).");
        }
    }

    private static JsonNode read(ConsumerRecord<String, String> record) {
        return read(record.value());
    }

    private static JsonNode read(String json) {
        try {
            return json == null ? JSON.nullNode() : JSON.readTree(json);
        } catch (Exception e) {
            throw Expect.fail("A record is not JSON", "a JSON document", json,
                    "Write values with the JSON serde: Produced.with(Serdes.String(), jsonSerde(PoorRating.class)).");
        }
    }
}
