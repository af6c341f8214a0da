///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Module 1, exercise log3 (stretch): readers with positions of their own.
 *
 * A reader with a bookmark. Each run prints at most MAX_RECORDS records ("offset<TAB>value"),
 * starting right after the last record that the previous run of the same reader printed,
 * and stops early at the end of the log. The bookmark is kept in Kafka: the committed offset
 * of the reader's consumer group, READER_GROUP. A reader with another group id has a
 * bookmark of its own, so several readers move through the same log independently.
 *
 *   Run it:    READER_GROUP=dashboard MAX_RECORDS=3 ./jbang log3   (run it twice, then try another group)
 *   Check it:  ./jbang workshop check log3
 */
public class BookmarkedReader {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final String READER_GROUP = System.getenv().getOrDefault("READER_GROUP", PREFIX + "dashboard");
    static final int MAX_RECORDS = Integer.parseInt(System.getenv().getOrDefault("MAX_RECORDS", "5"));

    public static void main(String[] args) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, READER_GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);    // this program decides what to commit
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // no bookmark yet: start at the beginning

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition)); // reads for READER_GROUP: starts at its committed offset

            long end = consumer.endOffsets(List.of(partition)).get(partition);
            int printed = 0;
            long lastPrinted = -1;
            while (printed < MAX_RECORDS && consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (printed == MAX_RECORDS) {
                        break; // poll() may fetch more than this run prints
                    }
                    System.out.printf("%d\t%s%n", record.offset(), record.value());
                    printed++;
                    lastPrinted = record.offset();
                }
            }

            if (lastPrinted >= 0) {
                // A committed offset names the next record to read, hence + 1.
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(lastPrinted + 1)));
            }
        }
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
