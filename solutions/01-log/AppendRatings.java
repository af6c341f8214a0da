///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Module 1, exercise log1: append rating events to the log.
 *
 * Reads ratings from a file, one JSON document per line, and appends each one to the topic
 * "ratings" as the value of a record, in the order of the file. A log only grows at its end:
 * each new record gets the next offset.
 *
 *   Run it:    ./jbang log1
 *   Check it:  ./jbang workshop check log1
 */
public class AppendRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));

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

        for (String rating : ratings) {
            producer.send(new ProducerRecord<>(TOPIC, rating));
        }

        // send() only hands a record to a buffer; a background thread ships batches to the broker.
        // close() waits until every buffered record is acknowledged (flush() would too).
        producer.close();

        System.out.printf("Appended %d ratings to %s%n", ratings.size(), TOPIC);
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
