package workshop.oracle;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.data.Rating;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The windowing oracle answers what Kafka Streams answers: windows2's inputs (out of order, late
 * events, sessions that merge) go through Streams' own session and hopping aggregations with
 * suppress, in its test driver, and the finals must be the oracle's. The inputs of many seeds
 * follow one another a day apart (a day of stream time closes every window of the seed before),
 * so one driver checks them all.
 */
class WindowingAgainstStreamsTest {

    private static final int SEEDS = 50; // seed 43 held the case that found the oracle keeping closed sessions
    private static final long DAY_MS = 86_400_000;

    @TempDir
    Path stateDir;

    @Test
    void sessionFinalsAreWhatStreamsEmits() {
        {
            List<Rating> ratings = seedsOneAfterAnother();
            List<WindowCount> expected = Windowing.session(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                    Timelines.SESSION_GAP_MS, Timelines.ACTIVITY_GRACE_MS).finals();
            List<WindowCount> actual = streamsFinals(ratings, grouped -> grouped
                    .windowedBy(SessionWindows.ofInactivityGapAndGrace(
                            java.time.Duration.ofMillis(Timelines.SESSION_GAP_MS), java.time.Duration.ofMillis(Timelines.ACTIVITY_GRACE_MS)))
                    .count());
            assertEquals(expected, actual);
        }
    }

    @Test
    void hoppingFinalsAreWhatStreamsEmits() {
        {
            List<Rating> ratings = seedsOneAfterAnother();
            List<WindowCount> expected = Windowing.hopping(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                    Timelines.HOPPING_SIZE_MS, Timelines.HOPPING_ADVANCE_MS, Timelines.ACTIVITY_GRACE_MS).finals();
            List<WindowCount> actual = streamsFinals(ratings, grouped -> grouped
                    .windowedBy(TimeWindows.ofSizeAndGrace(java.time.Duration.ofMillis(Timelines.HOPPING_SIZE_MS),
                                    java.time.Duration.ofMillis(Timelines.ACTIVITY_GRACE_MS))
                            .advanceBy(java.time.Duration.ofMillis(Timelines.HOPPING_ADVANCE_MS)))
                    .count());
            assertEquals(expected, actual);
        }
    }

    /** windows2's inputs of seeds 0, 1, 2 ..., each a day after the one before. */
    private static List<Rating> seedsOneAfterAnother() {
        List<Rating> all = new java.util.ArrayList<>();
        for (int seed = 0; seed < SEEDS; seed++) {
            long shift = seed * DAY_MS;
            for (Rating r : Timelines.activityRatings(seed)) {
                all.add(new Rating(all.size() + 1, r.userId(), r.stars(), r.routeId(), r.ratingTime() + shift, r.channel(), r.message()));
            }
        }
        return all;
    }

    /** Counts the ratings per user with {@code windowing}, suppressed until each window closes, in Streams' test driver. */
    private List<WindowCount> streamsFinals(List<Rating> ratings,
                                            Function<KGroupedStream<String, Long>, KTable<Windowed<String>, Long>> windowing) {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Long> grouped = builder.stream("ratings", Consumed.with(Serdes.String(), Serdes.Long())).groupByKey();
        windowing.apply(grouped)
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .map((window, count) -> KeyValue.pair(window.key() + "@" + window.window().start() + "@" + window.window().end(), count))
                .to("finals", Produced.with(Serdes.String(), Serdes.Long()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "oracle-check");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, Long> input = driver.createInputTopic("ratings", Serdes.String().serializer(), Serdes.Long().serializer());
            for (Rating rating : ratings) {
                input.pipeInput(String.valueOf(rating.userId()), rating.ratingId(), rating.ratingTime());
            }
            TestOutputTopic<String, Long> output = driver.createOutputTopic("finals", Serdes.String().deserializer(), Serdes.Long().deserializer());
            return output.readKeyValuesToList().stream().map(kv -> {
                String[] parts = kv.key.split("@");
                return new WindowCount(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), kv.value);
            }).toList();
        }
    }
}
