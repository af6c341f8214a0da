///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.Properties;

/**
 * Module 2, exercise topics1: create the pipeline's topics, on purpose.
 *
 * Creates two topics with the Admin client, each with PARTITIONS partitions (default 6) and
 * REPLICATION_FACTOR copies of each partition (default 1: the workshop stack has one broker):
 *
 *   - "ratings" keeps its records for 3 days, then deletes them (retention.ms);
 *   - "customers" is compacted (cleanup.policy=compact): Kafka keeps at least the latest
 *     record of every key, like a table keeps the current row.
 *
 * Running it again is harmless: a topic that already exists is left as it is.
 *
 *   Run it:    ./jbang topics1        (twice: the second run says both topics exist)
 *   Check it:  ./jbang workshop check topics1
 */
public class CreateTopics {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String RATINGS_TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final String CUSTOMERS_TOPIC = System.getenv().getOrDefault("CUSTOMERS_TOPIC", PREFIX + "customers");
    static final int PARTITIONS = Integer.parseInt(System.getenv().getOrDefault("PARTITIONS", "6"));
    static final short REPLICATION_FACTOR = Short.parseShort(System.getenv().getOrDefault("REPLICATION_FACTOR", "1"));
    static final Duration RATINGS_RETENTION = Duration.ofDays(3);

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000); // give up after 10 s when no broker answers

        try (Admin admin = Admin.create(config)) {
            // TODO 1: describe the ratings topic as a NewTopic: RATINGS_TOPIC, PARTITIONS partitions,
            //         REPLICATION_FACTOR replicas, and records kept for RATINGS_RETENTION. Topic
            //         settings are strings, named by the constants of TopicConfig.

            // TODO 2: describe the customers topic: CUSTOMERS_TOPIC, same shape, compacted.

            // TODO 3: create both topics, and wait for the broker's answer. Run the program twice:
            //         the second run must say that the topics exist, not crash. (createTopics
            //         answers with one future per topic; what does get() throw when it exists?)
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
