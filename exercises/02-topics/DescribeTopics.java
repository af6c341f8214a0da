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

    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final List<String> TOPICS = List.of(System.getenv().getOrDefault("TOPICS", "ratings,customers").split(","));

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
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
}
