package workshop.graders.windows;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.graders.streams.StreamsApp;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.Timelines;
import workshop.oracle.WindowCount;
import workshop.oracle.Windowing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades windows2: hopping and session windows, finals, grace 10 s. The grader writes
 * {@link Timelines#activityRatings} (bursts of ratings per user, out of order, one late within
 * the grace period, one beyond it, the last far later) keyed by user_id to a topic of one
 * partition, at their rating_time, and expects {@link Windowing#hopping} and
 * {@link Windowing#session} final counts.
 */
@Grader("windows2")
class ActivityWindowsGrader {

    private boolean consumed;
    private String notConsumed;
    private Windowing.Result<Rating> hopping;
    private Windowing.Result<Rating> sessions;
    private List<ConsumerRecord<String, String>> hoppingOutput;
    private List<ConsumerRecord<String, String>> sessionOutput;

    @BeforeAll
    void runExercise(Workbench bench) {
        String input = bench.name("ratings");
        String hoppingTopic = bench.name("hopping-counts");
        String sessionTopic = bench.name("session-counts");
        StreamsApp.createTopic(bench, input, 1);
        StreamsApp.createTopic(bench, hoppingTopic, 1);
        StreamsApp.createTopic(bench, sessionTopic, 1);
        List<Rating> ratings = Timelines.activityRatings(ThreadLocalRandom.current().nextLong());
        hopping = Windowing.hopping(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                Timelines.HOPPING_SIZE_MS, Timelines.HOPPING_ADVANCE_MS, Timelines.ACTIVITY_GRACE_MS);
        sessions = Windowing.session(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                Timelines.SESSION_GAP_MS, Timelines.ACTIVITY_GRACE_MS);
        bench.broker().produce(ratings.stream()
                .map(r -> new ProducerRecord<>(input, null, r.ratingTime(), String.valueOf(r.userId()), r.toJson())).toList());

        StreamsApp app = new StreamsApp(bench, "activity-windows");
        app.start(Map.of("RATINGS_TOPIC", input, "HOPPING_COUNTS_TOPIC", hoppingTopic, "SESSION_COUNTS_TOPIC", sessionTopic));
        consumed = app.awaitConsumed(List.of(input), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        hoppingOutput = bench.broker().records(hoppingTopic);
        sessionOutput = bench.broker().records(sessionTopic);
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
    @DisplayName("hopping windows (1 minute, every 20 s): each closed window's final count per user, once")
    void hoppingCounts() {
        List<WindowCount> actual = WindowedOutput.read(hoppingOutput);
        List<WindowCount> wanted = WindowedOutput.sorted(hopping.finals());
        Expect.equal("The hopping windows' final counts are not the expected ones", WindowedOutput.lines(wanted),
                WindowedOutput.lines(WindowedOutput.sorted(actual)),
                actual.stream().anyMatch(c -> c.end() - c.start() == Timelines.HOPPING_SIZE_MS)
                        && actual.stream().map(WindowCount::start).distinct().noneMatch(s -> s % Timelines.HOPPING_SIZE_MS != 0)
                        && wanted.stream().anyMatch(c -> c.start() % Timelines.HOPPING_SIZE_MS != 0)
                        ? "Only windows starting on the minute: those are tumbling windows. Hopping windows advance by less than their size: .advanceBy(Duration.ofSeconds(20))."
                        : WindowedOutput.hint(wanted, actual, Timelines.HOPPING_SIZE_MS, Timelines.ACTIVITY_GRACE_MS, true));
    }

    @Test
    @Order(3)
    @DisplayName("session windows (30 s of inactivity): each closed session's final count per user, once")
    void sessionCounts() {
        List<WindowCount> actual = WindowedOutput.read(sessionOutput);
        List<WindowCount> wanted = WindowedOutput.sorted(sessions.finals());
        Expect.equal("The sessions' final counts are not the expected ones", WindowedOutput.lines(wanted),
                WindowedOutput.lines(WindowedOutput.sorted(actual)),
                WindowedOutput.hint(wanted, actual, 0, Timelines.ACTIVITY_GRACE_MS, true)
                        + " A session runs from its first rating to its last (window_end is the last rating's time); SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(30), grace).");
    }
}
