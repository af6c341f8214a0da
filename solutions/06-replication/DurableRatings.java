///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Module 6, exercise replication1: ratings that survive losing a broker.
 *
 * On the 3-broker cluster, creates the topic "durable-ratings" (if it does not exist yet) with
 * settings that keep every acknowledged record when a broker dies, then appends the ratings of
 * a file, a little apart from each other, printing "acked<TAB>rating_id" for each rating the
 * cluster acknowledges. Stop a broker while it runs: nothing acknowledged may be lost.
 *
 *   Run it:    ./jbang workshop stack up --with kafka-cluster    then    ./jbang replication1
 *   Stop a broker meanwhile:  ./jbang workshop stack stop-broker 0   (and start-broker 0 after)
 *   Check it:  ./jbang workshop check replication1
 */
public class DurableRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("CLUSTER_BOOTSTRAP_SERVERS", "localhost:19092,localhost:19093,localhost:19094");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "durable-ratings");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));
    static final long SEND_INTERVAL_MS = Long.parseLong(System.getenv().getOrDefault("SEND_INTERVAL_MS", "200"));

    static final int PARTITIONS = 3;

    /** How many brokers keep a copy of each partition. */
    static final short REPLICATION_FACTOR = 3;

    /** Topic settings: a write needs this many in-sync copies before it is acknowledged. */
    static Map<String, String> topicConfig() {
        return Map.of("min.insync.replicas", "2");
    }

    static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // Acknowledged only once every in-sync replica has the record...
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // ...and retries after a leader change never write a record twice.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    public static void main(String[] args) throws Exception {
        createTopic();
        List<String> ratings = Files.readAllLines(RATINGS_FILE);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (String rating : ratings) {
                String ratingId = rating.replaceAll("^\\{\"rating_id\":(\\d+),.*$", "$1");
                producer.send(new ProducerRecord<>(TOPIC, ratingId, rating), (metadata, error) -> {
                    if (error == null) {
                        System.out.println("acked\t" + ratingId);
                    } else {
                        System.out.println("failed\t" + ratingId + "\t" + error);
                    }
                });
                Thread.sleep(SEND_INTERVAL_MS);
            }
        }
    }

    static void createTopic() throws InterruptedException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            NewTopic topic = new NewTopic(TOPIC, PARTITIONS, REPLICATION_FACTOR).configs(topicConfig());
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create " + TOPIC + ": " + e.getCause().getMessage(), e.getCause());
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
