package workshop.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Windowed counts on event time, as Kafka Streams (and ksqlDB, which runs on it) computes them,
 * for events in the order they arrive. Serves windows1 (tumbling, finals and every update; ksqlDB
 * twin: RATINGS_BY_CLUB_STATUS with WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD ...)), windows2
 * (hopping and session windows; twins: WINDOW HOPPING and WINDOW SESSION) and windows3 (fraud,
 * more than 3 per card in 5 s; twin: the talk's possible_fraud with HAVING COUNT(*) > 3).
 *
 * <p>Stream time is the largest event time seen so far. A time window [start, end) closes when
 * stream time reaches end + grace: an event that arrives for a closed window is late and dropped;
 * a final result (suppress until the window closes, or EMIT FINAL) comes out when it closes. A
 * session window [first, last] closes when stream time reaches last + gap + grace; a closed session
 * is never extended again (its store no longer finds it), a later event starts a new one.
 *
 * <p>Partition counts must keep one stream time: the graders use topics of one partition.
 */
public final class Windowing {

    private Windowing() {
    }

    /** What a windowed count produces for a sequence of events. */
    public record Result<T>(
            /** Every change of a count, in the order they happen (what a KTable without suppress and without caching emits). */
            List<WindowCount> updates,
            /** The count of each window that closed, in the order they closed (what suppress emits). */
            List<WindowCount> finals,
            /** The final count of every window, closed or not. */
            List<WindowCount> all,
            /** Events dropped because their window had closed. */
            List<T> late) {
    }

    /** Tumbling windows: hopping windows whose advance is their size. */
    public static <T> Result<T> tumbling(List<T> events, Function<T, String> key, ToLongFunction<T> time, long size, long grace) {
        return hopping(events, key, time, size, size, grace);
    }

    /** Hopping windows of {@code size}, one starting every {@code advance}, aligned to the epoch. */
    public static <T> Result<T> hopping(List<T> events, Function<T, String> key, ToLongFunction<T> time,
                                        long size, long advance, long grace) {
        Map<WindowKey, Long> counts = new LinkedHashMap<>(); // the open windows
        Map<WindowKey, Long> closed = new LinkedHashMap<>();
        List<WindowCount> updates = new ArrayList<>();
        List<WindowCount> finals = new ArrayList<>();
        List<T> late = new ArrayList<>();
        long streamTime = Long.MIN_VALUE;
        for (T event : events) {
            String k = key.apply(event);
            if (k == null) {
                continue; // grouping by a null key drops the event
            }
            long t = time.applyAsLong(event);
            streamTime = Math.max(streamTime, t);
            boolean counted = false;
            for (long start = Math.max(0, t - size + advance) / advance * advance; start <= t; start += advance) {
                long end = start + size;
                if (end + grace <= streamTime) {
                    continue; // this window has closed
                }
                WindowKey window = new WindowKey(k, start, end);
                long count = counts.merge(window, 1L, Long::sum);
                updates.add(window.count(count));
                counted = true;
            }
            if (!counted) {
                late.add(event);
            }
            emitClosed(counts, closed, finals, streamTime - grace);
        }
        return new Result<>(updates, finals, all(counts, closed), late);
    }

    /** Session windows: events of a key less than {@code gap} apart belong to one session. */
    public static <T> Result<T> session(List<T> events, Function<T, String> key, ToLongFunction<T> time, long gap, long grace) {
        Map<WindowKey, Long> sessions = new LinkedHashMap<>(); // the open sessions
        Map<WindowKey, Long> closed = new LinkedHashMap<>();
        List<WindowCount> updates = new ArrayList<>();
        List<WindowCount> finals = new ArrayList<>();
        List<T> late = new ArrayList<>();
        long streamTime = Long.MIN_VALUE;
        for (T event : events) {
            String k = key.apply(event);
            if (k == null) {
                continue;
            }
            long t = time.applyAsLong(event);
            streamTime = Math.max(streamTime, t);
            long closeTime = streamTime - grace - gap;
            long start = t;
            long end = t;
            long count = 0;
            List<WindowKey> merged = new ArrayList<>();
            // Only open sessions merge: the session store keeps a session for gap + grace of
            // stream time, so one that has closed (and was emitted as final) is no longer found,
            // and an event near it starts a new session.
            for (Map.Entry<WindowKey, Long> session : sessions.entrySet()) {
                WindowKey window = session.getKey();
                if (window.key().equals(k) && window.end() >= t - gap && window.start() <= t + gap) {
                    merged.add(window);
                    start = Math.min(start, window.start());
                    end = Math.max(end, window.end());
                    count += session.getValue();
                }
            }
            if (end < closeTime) {
                late.add(event);
            } else {
                merged.forEach(sessions::remove);
                WindowKey window = new WindowKey(k, start, end);
                sessions.put(window, count + 1);
                updates.add(window.count(count + 1));
            }
            emitClosed(sessions, closed, finals, closeTime);
        }
        return new Result<>(updates, finals, all(sessions, closed), late);
    }

    private record WindowKey(String key, long start, long end) {
        WindowCount count(long count) {
            return new WindowCount(key, start, end, count);
        }
    }

    /**
     * Moves the open windows ending at or before {@code closedUpTo} to the closed ones and the
     * finals, as suppress emits them: a window when its end (a session: its last event) is at or
     * before stream time - grace (sessions: - grace - gap).
     */
    private static void emitClosed(Map<WindowKey, Long> open, Map<WindowKey, Long> closed, List<WindowCount> finals, long closedUpTo) {
        List<WindowCount> closing = new ArrayList<>();
        open.entrySet().removeIf(window -> {
            if (window.getKey().end() > closedUpTo) {
                return false;
            }
            closed.put(window.getKey(), window.getValue());
            closing.add(window.getKey().count(window.getValue()));
            return true;
        });
        closing.sort(Comparator.comparingLong(WindowCount::end).thenComparing(WindowCount::key));
        finals.addAll(closing);
    }

    private static List<WindowCount> all(Map<WindowKey, Long> open, Map<WindowKey, Long> closed) {
        return java.util.stream.Stream.concat(open.entrySet().stream(), closed.entrySet().stream())
                .map(e -> e.getKey().count(e.getValue()))
                .sorted(Comparator.comparingLong(WindowCount::start).thenComparing(WindowCount::key).thenComparingLong(WindowCount::end))
                .toList();
    }
}
