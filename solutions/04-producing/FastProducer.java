///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Module 4, exercise producing3 (stretch): a fast producer.
 *
 * Sends RECORDS ratings (default 100,000, about 100 bytes each, keyed by user) to the topic
 * "ratings-load" as fast as it can, without giving up on safety (acks=all, idempotence), and
 * prints its throughput: "records_per_second<TAB>n". Compare it with Kafka's own producer
 * performance tool on the same broker (see the guide).
 *
 *   Run it:    ./jbang producing3
 *   Check it:  ./jbang workshop check producing3
 */
public class FastProducer {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings-load");
    static final int RECORDS = Integer.parseInt(System.getenv().getOrDefault("RECORDS", "100000"));

    static final List<String> CHANNELS = List.of("web", "iOS", "ios", "iOS-test", "android");
    static final long FIRST_RATING_TIME = 1_767_603_600_000L;

    static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Fewer, bigger requests: wait up to 20 ms for a batch of up to 256 KB per partition...
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // ...and compress each batch: JSON that repeats its field names shrinks a lot.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return config;
    }

    /** A made-up rating, about 100 bytes of JSON, the same for the same number. */
    static String rating(int i) {
        return "{\"rating_id\":" + i
                + ",\"user_id\":" + userId(i)
                + ",\"stars\":" + (1 + i * 7 % 5)
                + ",\"route_id\":" + (1 + i * 7919L % 9999)
                + ",\"rating_time\":" + (FIRST_RATING_TIME + 1000L * i)
                + ",\"channel\":\"" + CHANNELS.get(i % CHANNELS.size()) + "\"}";
    }

    static int userId(int i) {
        return 1 + i * 31 % 25;
    }

    public static void main(String[] args) throws Exception {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        // Runs on the producer's I/O thread when the broker has answered for a record.
        Callback onAnswer = (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error);
            }
        };

        double seconds;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            long start = System.nanoTime();
            for (int i = 1; i <= RECORDS; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, String.valueOf(userId(i)), rating(i));
                producer.send(record, onAnswer); // no waiting here: send() only adds the record to a batch
            }
            producer.flush(); // now wait, once, until every record is acknowledged (or failed)
            seconds = (System.nanoTime() - start) / 1e9;
        }

        if (failed.get() > 0) {
            System.err.printf("%d of %d records failed, the first with: %s%n", failed.get(), RECORDS, firstError.get());
            System.exit(1);
        }
        System.out.printf("Sent %d records to %s in %.2f s%n", RECORDS, TOPIC, seconds);
        System.out.printf("records_per_second\t%.0f%n", RECORDS / seconds);
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
