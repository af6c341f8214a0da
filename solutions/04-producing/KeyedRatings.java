///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Module 4, exercise producing1: ratings keyed by user.
 *
 * Sends every rating of the ratings file (one JSON document per line) to the topic "ratings",
 * in file order, as a record that says more than its value:
 *
 *   - its key is the rating's user_id, so that all ratings of one user land in the same
 *     partition, in the order they were sent;
 *   - its timestamp is the rating's rating_time, when the passenger rated the flight;
 *   - a header "channel" tells where the rating came from (web, iOS, android, ...).
 *
 *   Run it:    ./jbang producing1
 *   Check it:  ./jbang workshop check producing1
 */
public class KeyedRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        List<String> ratings = Files.readAllLines(RATINGS_FILE);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 100); // wait up to 100 ms to send records in batches
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(config);

        for (String line : ratings) {
            JsonNode rating = JSON.readTree(line);
            String userId = rating.get("user_id").asText();
            long ratingTime = rating.get("rating_time").asLong();
            String channel = rating.get("channel").asText();

            // partition null: the producer's partitioner chooses it from the key.
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, null, ratingTime, userId, line);
            record.headers().add("channel", channel.getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }

        // close() sends what is still buffered and waits for the broker's answers.
        producer.close();

        System.out.printf("Sent %d ratings to %s, keyed by user%n", ratings.size(), TOPIC);
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
