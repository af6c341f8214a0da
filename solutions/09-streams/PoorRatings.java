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
import org.apache.kafka.streams.kstream.Produced;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Module 9, exercise streams1: a stateless topology, the talk's POOR_RATINGS.
 *
 * Reads the ratings (JSON), keeps the poor ones (fewer than 3 stars), reshapes each for the
 * customer-care team (rating_id, user_id, stars, channel in lower case, message), keys it by the
 * user who gave it, and writes it to POOR_RATINGS_TOPIC. It runs until you stop it (Ctrl-C), and
 * processes each new rating as it arrives.
 *
 *   Run it:    ./jbang streams1      (produce ratings with ./jbang producing1 in another terminal)
 *   Check it:  ./jbang workshop check streams1
 */
public class PoorRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = env("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String APPLICATION_ID = env("APPLICATION_ID", PREFIX + "poor-ratings");
    static final String STATE_DIR = env("STATE_DIR", System.getProperty("java.io.tmpdir") + "/kafka-streams");
    static final String RATINGS_TOPIC = env("RATINGS_TOPIC", PREFIX + "ratings");
    static final String POOR_RATINGS_TOPIC = env("POOR_RATINGS_TOPIC", PREFIX + "poor-ratings");
    static final int POOR_BELOW_STARS = 3;

    /** A rating as the ratings app writes it. */
    record Rating(long ratingId, int userId, int stars, int routeId, long ratingTime, String channel, String message) {
    }

    /** What the customer-care team needs of a poor rating. */
    record PoorRating(long ratingId, int userId, int stars, String channel, String message) {
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(RATINGS_TOPIC, Consumed.with(Serdes.String(), jsonSerde(Rating.class)))
                .filter((key, rating) -> rating.stars() < POOR_BELOW_STARS)
                .map((key, rating) -> KeyValue.pair(
                        String.valueOf(rating.userId()),
                        new PoorRating(rating.ratingId(), rating.userId(), rating.stars(),
                                rating.channel().toLowerCase(Locale.ROOT), rating.message())))
                .to(POOR_RATINGS_TOPIC, Produced.with(Serdes.String(), jsonSerde(PoorRating.class)));
        return builder.build();
    }

    static Properties streamsConfig() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);   // also the consumer group's id
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);          // see progress within a second
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
