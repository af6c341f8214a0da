package workshop.graders.topics;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades topics2: the program prints, for topics the grader creates with random shapes, each
 * topic's cleanup.policy and each partition's leader, replicas and ISR, as the broker reports
 * them. Partition counts and policies are drawn afresh, so that neither a fixed count nor a
 * policy guessed from the topic's name can pass.
 */
@Grader("topics2")
class DescribeTopicsGrader {

    private static final List<String> POLICIES = List.of("delete", "compact", "compact,delete");

    /** What the broker says: per topic, the policy and the partition lines the program should print. */
    private final Map<String, String> policies = new LinkedHashMap<>();
    private final Map<String, Map<Integer, String>> partitionLines = new LinkedHashMap<>();
    private ProgramRun run;
    private final Map<String, String> printedPolicies = new LinkedHashMap<>();
    private final Map<String, List<Integer>> printedPartitions = new LinkedHashMap<>();
    private final Map<String, Map<Integer, String>> printedLines = new LinkedHashMap<>();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> topics = List.of(bench.name("orders"), bench.name("clicks"), bench.name("customers"));
        List<Integer> counts;
        List<String> drawn;
        do {
            counts = topics.stream().map(t -> 1 + random.nextInt(8)).toList();
            drawn = topics.stream().map(t -> POLICIES.get(random.nextInt(POLICIES.size()))).toList();
        } while (counts.stream().allMatch(c -> c == 1)
                || counts.stream().allMatch(c -> c == 6) // the count topics1 uses by default
                || drawn.stream().allMatch("delete"::equals)
                || drawn.equals(List.of("delete", "delete", "compact"))); // what the names would suggest
        for (int i = 0; i < topics.size(); i++) {
            bench.broker().createTopic(topics.get(i), counts.get(i), (short) 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, drawn.get(i)));
        }
        for (String topic : topics) {
            policies.put(topic, bench.broker().topicConfig(topic).get(TopicConfig.CLEANUP_POLICY_CONFIG));
            TopicDescription description = bench.broker().describe(topic).orElseThrow();
            Map<Integer, String> lines = new TreeMap<>();
            for (TopicPartitionInfo partition : description.partitions()) {
                lines.put(partition.partition(), line(topic, partition));
            }
            partitionLines.put(topic, lines);
        }

        run = bench.program().run(Map.of("TOPICS", String.join(",", topics)));
        for (String line : run.stdout()) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 3 && fields[1].trim().equals(TopicConfig.CLEANUP_POLICY_CONFIG)) {
                printedPolicies.put(fields[0].trim(), fields[2].trim());
            } else if (fields.length == 5 && fields[1].trim().matches("\\d+")) {
                String topic = fields[0].trim();
                int partition = Integer.parseInt(fields[1].trim());
                printedPartitions.computeIfAbsent(topic, t -> new ArrayList<>()).add(partition);
                printedLines.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, line.trim());
            }
        }
    }

    private static String line(String topic, TopicPartitionInfo partition) {
        return topic + "\t" + partition.partition() + "\t" + (partition.leader() == null ? "none" : partition.leader().id())
                + "\t" + ids(partition.replicas()) + "\t" + ids(partition.isr());
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(Node::idString).collect(Collectors.joining(","));
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Describing three topics takes well under a second: wait on each future with get(), then end.");
    }

    @Test
    @Order(2)
    @DisplayName("every partition of every topic is listed, once")
    void everyPartition() {
        for (Map.Entry<String, Map<Integer, String>> topic : partitionLines.entrySet()) {
            List<Integer> printed = printedPartitions.getOrDefault(topic.getKey(), List.of());
            List<Integer> sorted = printed.stream().sorted().toList();
            String hint;
            if (printed.isEmpty()) {
                hint = "Print one line per partition: topic<TAB>partition<TAB>leader<TAB>replicas<TAB>isr (TODO 2).";
            } else if (printed.equals(List.of(0))) {
                hint = "Only partition 0 was listed: loop over every TopicPartitionInfo of description.partitions().";
            } else if (sorted.size() != new TreeSet<>(sorted).size()) {
                hint = "Some partitions were listed more than once: one line per partition, per topic.";
            } else {
                hint = "Take the partitions from the broker's description of the topic, not from a number you chose: "
                        + "this topic was created by the grader with " + topic.getValue().size() + " partition(s).";
            }
            Expect.equal("The partitions listed for " + topic.getKey() + " are not the topic's",
                    describe(new ArrayList<>(topic.getValue().keySet())), describe(sorted), hint);
        }
    }

    @Test
    @Order(3)
    @DisplayName("leaders, replicas and in-sync replicas are the broker's")
    void leadersAndReplicas() {
        Expect.isTrue(!printedLines.isEmpty(), "No partition lines were printed", "topic<TAB>partition<TAB>leader<TAB>replicas<TAB>isr",
                "nothing", "Print one line per partition (TODO 2).");
        for (Map.Entry<String, Map<Integer, String>> topic : partitionLines.entrySet()) {
            Map<Integer, String> printed = printedLines.getOrDefault(topic.getKey(), Map.of());
            for (Map.Entry<Integer, String> partition : topic.getValue().entrySet()) {
                String actual = printed.get(partition.getKey());
                if (actual == null) {
                    continue; // missing partitions are the previous check's business
                }
                String hint = actual.contains("id:") || actual.contains("[")
                        ? "A broker is printed as a Node: print its id (leader().id(), and ids(...) for the lists)."
                        : "Print the leader's id, then the replicas' ids and the in-sync replicas' ids, comma-separated, "
                        + "from the TopicPartitionInfo of this partition.";
                Expect.equal("Partition " + partition.getKey() + " of " + topic.getKey() + " is not printed as the broker describes it",
                        partition.getValue().replace("\t", " <TAB> "), actual.replace("\t", " <TAB> "), hint);
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("each topic's cleanup.policy is the broker's")
    void policies() {
        for (Map.Entry<String, String> topic : policies.entrySet()) {
            String printed = printedPolicies.get(topic.getKey());
            String hint;
            if (printed == null) {
                hint = "Print one line per topic: topic<TAB>cleanup.policy<TAB>value (TODO 1).";
            } else {
                hint = "This topic's policy was set by the grader, not by topics1: ask the broker with admin.describeConfigs(...) "
                        + "and print the value of its cleanup.policy entry.";
            }
            Expect.equal("The cleanup.policy printed for " + topic.getKey() + " is not the broker's", topic.getValue(),
                    printed == null ? "(no cleanup.policy line)" : printed, hint);
        }
    }

    private static String describe(List<Integer> partitions) {
        if (partitions.isEmpty()) {
            return "no partitions";
        }
        return "partitions " + partitions.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
