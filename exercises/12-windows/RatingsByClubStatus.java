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
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Module 12, exercise windows1: the talk's RATINGS_BY_CLUB_STATUS, per minute, on event time.
 *
 * Counts the ratings (joined with their customers, as joins1 writes them) per club status in
 * tumbling windows of one minute of event time: the time a rating was given, which the records
 * carry as their timestamp, not the time they happen to be processed. A rating may arrive up to
 * GRACE after its window ended and still count; a later one is dropped. Two outputs:
 * CLUB_STATUS_UPDATES gets every change of a count as it happens, CLUB_STATUS_FINALS only the
 * final count of each window, once the window has closed (end + grace passed in stream time).
 *
 *   Run it:    ./jbang windows1
 *   Check it:  ./jbang workshop check windows1
 */
public class RatingsByClubStatus {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = env("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String APPLICATION_ID = env("APPLICATION_ID", PREFIX + "ratings-by-club-status");
    static final String STATE_DIR = env("STATE_DIR", System.getProperty("java.io.tmpdir") + "/kafka-streams");
    static final String RATINGS_WITH_CUSTOMERS_TOPIC = env("RATINGS_WITH_CUSTOMERS_TOPIC", PREFIX + "ratings-with-customers");
    static final String UPDATES_TOPIC = env("CLUB_STATUS_UPDATES_TOPIC", PREFIX + "ratings-by-club-status-updates");
    static final String FINALS_TOPIC = env("CLUB_STATUS_FINALS_TOPIC", PREFIX + "ratings-by-club-status");
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration GRACE = Duration.ofSeconds(10);

    record RatingWithCustomer(long ratingId, int userId, int stars, int routeId, long ratingTime, String channel, String message,
                              String firstName, String lastName, String email, String clubStatus) {
    }

    /** A count with its window: the same club status has one count per minute. */
    record WindowCount(String key, long windowStart, long windowEnd, long count) {
        static KeyValue<String, WindowCount> of(Windowed<String> window, Long count) {
            return KeyValue.pair(window.key(), new WindowCount(window.key(), window.window().start(), window.window().end(), count));
        }
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, RatingWithCustomer> ratings = builder.stream(RATINGS_WITH_CUSTOMERS_TOPIC,
                Consumed.with(Serdes.String(), jsonSerde(RatingWithCustomer.class)));
        // TODO 1: count the ratings per club status (skip those without one) in tumbling windows of
        //         WINDOW with a grace period of GRACE: a KTable<Windowed<String>, Long>.
        // TODO 2: write every update of the counts to UPDATES_TOPIC, each as a WindowCount (WindowCount::of).
        // TODO 3: write only each window's final count, once the window has closed, to FINALS_TOPIC.
        return builder.build();
    }

    static Properties streamsConfig() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);   // every update goes downstream at once
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
