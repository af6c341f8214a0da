package workshop.graders.windows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import workshop.grading.Expect;
import workshop.oracle.WindowCount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reading and comparing the windowed counts that the exercises of module 12 write. */
final class WindowedOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WindowedOutput() {
    }

    /**
     * The counts on a topic, in offset order.
     *
     * @throws workshop.grading.GradingFailure when a record's value is not a count with its window
     */
    static List<WindowCount> read(List<ConsumerRecord<String, String>> records) {
        List<WindowCount> counts = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode value;
            try {
                value = record.value() == null ? null : JSON.readTree(record.value());
            } catch (Exception e) {
                value = null;
            }
            if (value == null || !value.isObject() || !value.has("window_start") || !value.has("window_end") || !value.has("count")) {
                throw Expect.fail("A count was written without its window", "{\"key\":...,\"window_start\":...,\"window_end\":...,\"count\":...}",
                        "key " + record.key() + ", value " + record.value(),
                        "A windowed count's key is a Windowed<String>: the key and its window. Map it to a value that keeps both: "
                                + "new WindowCount(window.key(), window.window().start(), window.window().end(), count); a key alone says nothing about which minute it counts.");
            }
            counts.add(new WindowCount(value.path("key").asText(String.valueOf(record.key())),
                    value.path("window_start").asLong(), value.path("window_end").asLong(), value.path("count").asLong()));
        }
        return counts;
    }

    static List<WindowCount> sorted(List<WindowCount> counts) {
        List<WindowCount> copy = new ArrayList<>(counts);
        copy.sort(Comparator.comparingLong(WindowCount::start).thenComparing(WindowCount::key).thenComparingLong(WindowCount::end));
        return copy;
    }

    /** One line per count, for a readable expected/actual. */
    static String lines(List<WindowCount> counts) {
        return String.join("\n", counts.stream().map(c -> c.window() + " = " + c.count()).toList());
    }

    /** Why counts differ, from what they look like. */
    static String hint(List<WindowCount> expected, List<WindowCount> actual, long windowMs, long graceMs, boolean finals) {
        if (actual.isEmpty()) {
            return finals ? "Nothing came out. suppress(Suppressed.untilWindowCloses(...)) emits a window when stream time passes its end + grace: "
                    + "a grace of hours or days (or the old default of 24 h) means not in this grading."
                    : "Nothing came out: write counts.toStream() to the topic.";
        }
        long distinctWindows = actual.stream().map(WindowCount::window).distinct().count();
        if (finals && distinctWindows < actual.size()) {
            return "A window came out more than once: those are updates. suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())) keeps them back and emits each window once, final.";
        }
        long now = System.currentTimeMillis();
        if (actual.stream().anyMatch(c -> Math.abs(c.start() - now) < 3_600_000)) {
            return "The windows are around the time of processing, not of the events: use the records' timestamps (the default TimestampExtractor), not WallclockTimestampExtractor.";
        }
        if (actual.stream().anyMatch(c -> c.end() - c.start() != windowMs) && windowMs > 0) {
            return "Windows of the wrong size: " + windowMs / 1000 + " s.";
        }
        long expectedTotal = expected.stream().mapToLong(WindowCount::count).sum();
        long actualTotal = actual.stream().mapToLong(WindowCount::count).sum();
        if (actualTotal < expectedTotal) {
            return "Some events were not counted: an event that arrives after its window ended still counts within the grace period ("
                    + graceMs / 1000 + " s here: TimeWindows.ofSizeAndGrace(size, grace)).";
        }
        if (actualTotal > expectedTotal) {
            return "Some events were counted that arrived too late: after the grace period (" + graceMs / 1000 + " s) a window is closed and late events are dropped.";
        }
        return "Compare the windows: event time decides the window, stream time (the largest event time seen) decides when it closes.";
    }
}
