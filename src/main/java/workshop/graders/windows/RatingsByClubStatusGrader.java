package workshop.graders.windows;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.graders.streams.StreamsApp;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.EnrichedRating;
import workshop.oracle.Timelines;
import workshop.oracle.WindowCount;
import workshop.oracle.Windowing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades windows1: ratings per club status per minute, on event time, grace 10 s. The grader
 * writes {@link Timelines#clubStatusRatings} (out of order, one rating late within the grace
 * period, one beyond it, last one far later so that every earlier window closes) to a topic of one
 * partition, at their rating_time, and expects {@link Windowing#tumbling}: every update on one
 * topic, each closed window's final count once on the other.
 */
@Grader("windows1")
class RatingsByClubStatusGrader {

    private boolean consumed;
    private String notConsumed;
    private Windowing.Result<EnrichedRating> expected;
    private List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> updates;
    private List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> finals;

    @BeforeAll
    void runExercise(Workbench bench) {
        String input = bench.name("ratings-with-customers");
        String updatesTopic = bench.name("club-status-updates");
        String finalsTopic = bench.name("club-status-finals");
        StreamsApp.createTopic(bench, input, 1);   // one partition: one stream time
        StreamsApp.createTopic(bench, updatesTopic, 1);
        StreamsApp.createTopic(bench, finalsTopic, 1);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<EnrichedRating> ratings = Timelines.clubStatusRatings(random.nextLong(), 70 + random.nextInt(20));
        expected = Windowing.tumbling(ratings, EnrichedRating::clubStatus, EnrichedRating::ratingTime,
                Timelines.CLUB_STATUS_WINDOW_MS, Timelines.CLUB_STATUS_GRACE_MS);
        bench.broker().produce(ratings.stream()
                .map(r -> new ProducerRecord<>(input, null, r.ratingTime(), String.valueOf(r.userId()), r.toJson())).toList());

        StreamsApp app = new StreamsApp(bench, "ratings-by-club-status");
        app.start(Map.of("RATINGS_WITH_CUSTOMERS_TOPIC", input, "CLUB_STATUS_UPDATES_TOPIC", updatesTopic, "CLUB_STATUS_FINALS_TOPIC", finalsTopic));
        consumed = app.awaitConsumed(List.of(input), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        updates = bench.broker().records(updatesTopic);
        finals = bench.broker().records(finalsTopic);
    }

    @Test
    @Order(1)
    @DisplayName("the application processes every rating and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of the ratings", notConsumed,
                "Run it yourself and read what it prints.");
    }

    @Test
    @Order(2)
    @DisplayName("the updates topic gets every change of every count, as it happens")
    void everyUpdate() {
        List<WindowCount> actual = WindowedOutput.read(updates);
        Expect.equal("The updates are not one per counted rating", WindowedOutput.lines(expected.updates()), WindowedOutput.lines(actual),
                actual.size() < expected.updates().size() && actual.stream().map(WindowCount::window).distinct().count() == actual.size()
                        ? "Only one count per window: the table's cache holds updates back until a commit. Set statestore.cache.max.bytes to 0, or that is suppress() on the wrong topic."
                        : WindowedOutput.hint(expected.updates(), actual, Timelines.CLUB_STATUS_WINDOW_MS, Timelines.CLUB_STATUS_GRACE_MS, false));
    }

    @Test
    @Order(3)
    @DisplayName("the finals topic gets each closed window's final count, once, late ratings counted within the grace period only")
    void finalCounts() {
        List<WindowCount> actual = WindowedOutput.read(finals);
        List<WindowCount> wanted = WindowedOutput.sorted(expected.finals());
        Expect.equal("The final counts per club status and minute are not the expected ones", WindowedOutput.lines(wanted),
                WindowedOutput.lines(WindowedOutput.sorted(actual)),
                WindowedOutput.hint(wanted, actual, Timelines.CLUB_STATUS_WINDOW_MS, Timelines.CLUB_STATUS_GRACE_MS, true));
    }
}
