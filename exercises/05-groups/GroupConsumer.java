///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Module 5, exercise groups1: a member of a consumer group.
 *
 * Joins the consumer group GROUP_ID, reads the topic's records from the partitions the group
 * gives it, prints each as "partition<TAB>offset<TAB>value", and commits what it has processed.
 * Start it twice with the same GROUP_ID and the two members share the partitions; start it with
 * another GROUP_ID and it reads everything again, with a position of its own. It stops when no
 * record came for IDLE_MS milliseconds (a real consumer would keep polling forever).
 *
 *   Run it:    GROUP_ID=notifier ./jbang groups1    (and at the same time in a second terminal)
 *   Check it:  ./jbang workshop check groups1
 */
public class GroupConsumer {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final String GROUP_ID = System.getenv().getOrDefault("GROUP_ID", PREFIX + "notifier");
    static final long IDLE_MS = Long.parseLong(System.getenv().getOrDefault("IDLE_MS", "15000"));

    public static void main(String[] args) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);    // this program commits itself
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group starts at the beginning
        // Members hear of a rebalance at their next heartbeat: every half second here instead
        // of every 3 s, so that the group reacts quickly to members that come and go.
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        // TODO 1: make this consumer a member of the consumer group named by GROUP_ID.

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            // TODO 2: subscribe to TOPIC, so that the group shares its partitions among its members.
            //         Pass showRebalances() as the second argument to see the partitions come and go.

            long idleSince = System.currentTimeMillis();
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    System.out.printf("%d\t%d\t%s%n", record.partition(), record.offset(), record.value());
                }
                // TODO 3: everything poll() returned is processed (printed): commit it, so that the
                //         group's next member carries on from here.

                long now = System.currentTimeMillis();
                if (!records.isEmpty() || consumer.assignment().isEmpty()) {
                    idleSince = now; // busy, or still waiting for partitions: not idle
                } else if (now - idleSince >= IDLE_MS) {
                    break;
                }
            }
        }
    }

    /** Tells, on standard error, which partitions the group gives this member and takes away. */
    static ConsumerRebalanceListener showRebalances() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                System.err.println("[" + GROUP_ID + "] partitions revoked:  " + numbers(partitions));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                System.err.println("[" + GROUP_ID + "] partitions assigned: " + numbers(partitions));
            }
        };
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
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
