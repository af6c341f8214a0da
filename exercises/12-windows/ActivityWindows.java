///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-streams:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Module 12, exercise windows2: hopping and session windows, side by side.
 *
 * Counts each user's ratings two ways, on event time, with a grace period for late ratings, and
 * writes each window's final count once it has closed. Hopping windows: one minute long, a new
 * one every 20 seconds, so each rating counts in three overlapping windows. Session windows: a
 * user's ratings less than 30 seconds apart form one session, as long as it lasts; a late rating
 * can extend a session or merge two.
 *
 *   Run it:    ./jbang windows2
 *   Check it:  ./jbang workshop check windows2
 */
public class ActivityWindows {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = env("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String APPLICATION_ID = env("APPLICATION_ID", PREFIX + "activity-windows");
    static final String STATE_DIR = env("STATE_DIR", System.getProperty("java.io.tmpdir") + "/kafka-streams");
    static final String RATINGS_TOPIC = env("RATINGS_TOPIC", PREFIX + "ratings");
    static final String HOPPING_TOPIC = env("HOPPING_COUNTS_TOPIC", PREFIX + "ratings-per-user-hopping");
    static final String SESSIONS_TOPIC = env("SESSION_COUNTS_TOPIC", PREFIX + "ratings-per-user-session");
    static final Duration HOPPING_SIZE = Duration.ofMinutes(1);
    static final Duration HOPPING_ADVANCE = Duration.ofSeconds(20);
    static final Duration SESSION_GAP = Duration.ofSeconds(30);
    static final Duration GRACE = Duration.ofSeconds(10);

    record Rating(long ratingId, int userId, int stars, int routeId, long ratingTime, String channel, String message) {
    }

    record WindowCount(String key, long windowStart, long windowEnd, long count) {
        static KeyValue<String, WindowCount> of(Windowed<String> window, Long count) {
            return KeyValue.pair(window.key(), new WindowCount(window.key(), window.window().start(), window.window().end(), count));
        }
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, Rating> byUser = builder
                .stream(RATINGS_TOPIC, Consumed.with(Serdes.String(), jsonSerde(Rating.class)))
                .groupByKey(Grouped.with(Serdes.String(), jsonSerde(Rating.class)));     // keyed by user_id already

        // TODO 1: count each user's ratings in hopping windows of HOPPING_SIZE advancing by
        //         HOPPING_ADVANCE, grace GRACE, and write each window's final count to HOPPING_TOPIC
        //         as a WindowCount.
        // TODO 2: count them in session windows (inactivity gap SESSION_GAP, grace GRACE) and write
        //         each session's final count to SESSIONS_TOPIC as a WindowCount.
        return builder.build();
    }

    static Properties streamsConfig() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return config;
    }

    // ---- JSON values and running the application: the same in every exercise of modules 9, 11 and 12 ----

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)       // ratingId <-> "rating_id"
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A Serde that writes values as JSON text and reads them back into {@code type}. */
    static <T> Serde<T> jsonSerde(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    try {
                        return value == null ? null : JSON.writeValueAsBytes(value);
                    } catch (Exception e) {
                        throw new SerializationException("Cannot write " + value + " as JSON", e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : JSON.readValue(bytes, type);
                    } catch (Exception e) {
                        throw new SerializationException("Not a " + type.getSimpleName() + ": " + new String(bytes), e);
                    }
                });
    }

    public static void main(String[] args) throws InterruptedException {
        Topology topology = topology();
        System.out.println(topology.describe());
        run(new KafkaStreams(topology, streamsConfig()));
    }

    /** Runs the application until Ctrl-C; a failure ends the program with its reason and exit code 1. */
    static void run(KafkaStreams streams) throws InterruptedException {
        Properties adminConfig = new Properties();
        adminConfig.putAll(CLIENT_SETTINGS);
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("No Kafka broker answers at " + BOOTSTRAP_SERVERS + " (" + e + ")");
            System.exit(1);
        }
        CountDownLatch failed = new CountDownLatch(1);
        streams.setUncaughtExceptionHandler(error -> {
            System.err.println("The application failed: " + error);
            failed.countDown();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(10))));
        streams.start();
        failed.await();
        streams.close(Duration.ofSeconds(10));
        System.exit(1);
    }

    static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }

    /** Room mode: the client settings in a properties file; none when no file is named. */
    static Properties clientSettings(String file) {
        Properties settings = new Properties();
        if (file != null) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
                settings.load(reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read KAFKA_CLIENT_PROPERTIES=" + file, e);
            }
        }
        return settings;
    }
}
