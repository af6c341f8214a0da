///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Module 2, exercise topics2 (stretch): ask the broker what the topics really are.
 *
 * For each topic in TOPICS (comma-separated, default "ratings,customers"), prints what the
 * broker reports, not what some program once asked for: first the topic's cleanup.policy,
 * then one line per partition with its leader, its replicas and its in-sync replicas (ISR),
 * as broker ids (the workshop stack has one broker, with id 0), fields separated by tabs:
 *
 *   customers    cleanup.policy    compact
 *   customers    0    0    0    0
 *   customers    1    0    0    0
 *
 *   Run it:    ./jbang topics2        or    TOPICS=ratings ./jbang topics2
 *   Check it:  ./jbang workshop check topics2
 */
public class DescribeTopics {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final List<String> TOPICS = List.of(System.getenv().getOrDefault("TOPICS", PREFIX + "ratings," + PREFIX + "customers").split(","));

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);

        try (Admin admin = Admin.create(config)) {
            for (String topic : TOPICS) {
                // TODO 1: ask the broker for the topic's configuration (admin.describeConfigs, for a
                //         ConfigResource of type TOPIC) and print its cleanup.policy:
                //         topic<TAB>cleanup.policy<TAB>value

                // TODO 2: ask the broker to describe the topic (admin.describeTopics) and print one
                //         line per partition: topic<TAB>partition<TAB>leader<TAB>replicas<TAB>isr,
                //         brokers as ids (see ids() below).
            }
        }
    }

    /** Broker ids, comma-separated: "1,2,3". */
    static String ids(List<Node> brokers) {
        return brokers.stream().map(Node::idString).collect(Collectors.joining(","));
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
