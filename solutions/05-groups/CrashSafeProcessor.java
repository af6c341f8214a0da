///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Module 5, exercise groups2 (stretch): a processor that survives a crash.
 *
 * Processes every rating of the topic, a batch (one poll) at a time: for each record it does
 * some slow work (PROCESS_MS) and then appends the rating's rating_id as a line to
 * PROCESSED_FILE. Kill it in the middle of a batch and start it again: it carries on from the
 * group's committed offsets, and no rating may be missing from the file. A rating processed twice
 * is acceptable (at least once); a rating never processed is not. It stops when no record came
 * for IDLE_MS milliseconds.
 *
 *   Run it:    ./jbang groups2    (press Ctrl-C half-way, run it again, then look at processed.txt)
 *   Check it:  ./jbang workshop check groups2
 */
public class CrashSafeProcessor {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final String GROUP_ID = System.getenv().getOrDefault("GROUP_ID", PREFIX + "archive");
    static final String INSTANCE_ID = System.getenv().getOrDefault("INSTANCE_ID", "processor-1");
    static final Path PROCESSED_FILE = Path.of(System.getenv().getOrDefault("PROCESSED_FILE", "processed.txt"));
    static final long PROCESS_MS = Long.parseLong(System.getenv().getOrDefault("PROCESS_MS", "200"));
    static final long IDLE_MS = Long.parseLong(System.getenv().getOrDefault("IDLE_MS", "5000"));

    static final ObjectMapper JSON = new ObjectMapper();

    static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // this program decides when to commit
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);      // a batch: at most 10 records per poll()
        // A static member: when this instance restarts after a crash, it takes its partitions
        // back at once instead of waiting for the group to notice that it died.
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE_ID);
        return config;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig());
             BufferedWriter processed = Files.newBufferedWriter(PROCESSED_FILE,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            consumer.subscribe(List.of(TOPIC));

            long idleSince = System.currentTimeMillis();
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : batch) {
                    process(record, processed);
                }
                if (!batch.isEmpty()) {
                    consumer.commitSync(); // the whole batch is processed: now it may be committed
                }

                long now = System.currentTimeMillis();
                if (!batch.isEmpty() || consumer.assignment().isEmpty()) {
                    idleSince = now; // busy, or still waiting for partitions: not idle
                } else if (now - idleSince >= IDLE_MS) {
                    break;
                }
            }
        }
    }

    /** The work: slow (think of a call to another service), then the rating_id goes to the file. */
    static void process(ConsumerRecord<String, String> record, BufferedWriter processed) throws IOException, InterruptedException {
        long ratingId = JSON.readTree(record.value()).get("rating_id").asLong();
        Thread.sleep(PROCESS_MS);
        processed.write(ratingId + "\n");
        processed.flush();
        System.out.printf("%d\t%d\tprocessed rating %d%n", record.partition(), record.offset(), ratingId);
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
