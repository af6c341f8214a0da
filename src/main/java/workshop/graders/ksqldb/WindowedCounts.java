package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import workshop.oracle.WindowCount;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The counts a windowed ksqlDB table wrote to its topic, as the oracle's {@link WindowCount}s. The
 * record key is the group (e.g. the club status) followed by the window start in 8 bytes; the
 * window itself is read from the value, where the exercise puts WINDOWSTART and WINDOWEND.
 */
final class WindowedCounts {

    /** What the sink holds: the counts, and whether every one carried its window. */
    record Read(List<WindowCount> counts, boolean windowsShown, int tombstones) {
    }

    private WindowedCounts() {
    }

    /**
     * @param groups     the possible group values (the key starts with one of them)
     * @param countColumn the column that holds the count, e.g. RATINGS
     */
    static Read read(List<ConsumerRecord<String, String>> records, Collection<String> groups, String countColumn) {
        List<WindowCount> counts = new ArrayList<>();
        boolean windowsShown = true;
        int tombstones = 0;
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() == null) {
                tombstones++; // HAVING: a window that stopped (or never started) to qualify
                continue;
            }
            JsonNode value;
            try {
                value = KsqlDb.JSON.readTree(Inputs.lowerCaseNames(record.value()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String key = groups.stream().filter(g -> record.key() != null && record.key().startsWith(g))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(String.valueOf(record.key()));
            boolean hasWindow = value.has("window_start") && value.has("window_end");
            windowsShown &= hasWindow;
            counts.add(new WindowCount(key,
                    hasWindow ? value.get("window_start").asLong() : -1,
                    hasWindow ? value.get("window_end").asLong() : -1,
                    value.path(countColumn.toLowerCase(java.util.Locale.ROOT)).asLong(-1)));
        }
        return new Read(counts, windowsShown, tombstones);
    }

    /** Counts as lines for a readable comparison: "gold [09:01:00, 09:02:00) 3". */
    static List<String> describe(List<WindowCount> counts) {
        return counts.stream().map(c -> c.key() + " [" + time(c.start()) + ", " + time(c.end()) + ") " + c.count()).toList();
    }

    private static String time(long millis) {
        String text = java.time.Instant.ofEpochMilli(millis).toString(); // 2026-01-05T09:00:00Z, millis only when not 0
        return millis < 0 ? "?" : text.substring(11, text.length() - 1);
    }
}
