///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * Module 3, exercise partitions1: spread the ratings evenly over every partition.
 *
 * Sends every line of the ratings file, in file order, to the topic "ratings" as a record with
 * no key, so that each partition of the topic gets its share: with 4 partitions and 10 ratings,
 * two partitions get 3 ratings and two get 2. Then prints how many ratings each partition got.
 *
 *   Run it:    ./jbang partitions1
 *   Check it:  ./jbang workshop check partitions1
 */
public class SpreadRatings {

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

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // The producer fetches the topic's metadata, partitions included, from the broker.
            int partitions = producer.partitionsFor(TOPIC).size();
            for (int i = 0; i < ratings.size(); i++) {
                String rating = ratings.get(i);
                // No key: the partition is chosen here, in turn, so each one gets its share.
                sent.add(producer.send(new ProducerRecord<>(TOPIC, i % partitions, null, rating)));
            }
        }

        Map<Integer, Integer> perPartition = new TreeMap<>();
        for (Future<RecordMetadata> record : sent) {
            perPartition.merge(record.get().partition(), 1, Integer::sum);
        }
        System.out.printf("Sent %d ratings to %s; ratings per partition: %s%n", ratings.size(), TOPIC, perPartition);
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
