package workshop.graders.topics;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;
import workshop.stack.BrokerControl;
import workshop.stack.MachinePace;
import workshop.stack.StackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Grades topics2: the program prints, for topics the grader creates with random shapes, each
 * topic's cleanup.policy and each partition's leader, replicas and ISR, as the broker reports
 * them. Partition counts and policies are drawn afresh, so that neither a fixed count nor a
 * policy guessed from the topic's name can pass.
 *
 * <p>The topics live on the 3-broker cluster with replicas assigned in rotated orders, and one
 * broker is stopped while the program runs: so the leader is not always the first replica, and
 * the in-sync replicas are not all the replicas. On a single broker the three are one node, and
 * printing the wrong one would pass.
 */
@Grader(isolation = "3-broker cluster")
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
    void runExercise(Workbench bench) throws InterruptedException {
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
        Broker cluster = bench.cluster();
        List<Integer> brokers = brokerIds(cluster);
        for (int i = 0; i < topics.size(); i++) {
            Map<Integer, List<Integer>> assignments = new TreeMap<>();
            for (int p = 0; p < counts.get(i); p++) {
                assignments.put(p, rotated(brokers, p + i + 1));
            }
            cluster.createTopic(new NewTopic(topics.get(i), assignments).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, drawn.get(i))));
        }
        Optional<BrokerControl> control = bench.brokerControl();
        Integer stopped = control.isPresent() ? brokers.get(random.nextInt(brokers.size())) : null;
        try {
            if (stopped != null) {
                control.get().stopBroker(stopped);
                awaitOutOfSync(cluster, topics, stopped);
            }
            for (String topic : topics) {
                policies.put(topic, cluster.topicConfig(topic).get(TopicConfig.CLEANUP_POLICY_CONFIG));
                TopicDescription description = cluster.describe(topic).orElseThrow();
                Map<Integer, String> lines = new TreeMap<>();
                for (TopicPartitionInfo partition : description.partitions()) {
                    lines.put(partition.partition(), line(topic, partition));
                }
                partitionLines.put(topic, lines);
            }
            run = bench.program().run(Map.of("TOPICS", String.join(",", topics), "BOOTSTRAP_SERVERS", cluster.bootstrapServers()));
        } finally {
            if (stopped != null) {
                control.get().startBroker(stopped);
            }
        }
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

    private static List<Integer> brokerIds(Broker cluster) {
        try {
            return cluster.admin().describeCluster().nodes().get(cluster.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .stream().map(Node::id).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the cluster's brokers: " + e.getMessage(), e);
        }
    }

    /** The brokers starting at position {@code shift}: partitions get their replicas in different orders. */
    private static List<Integer> rotated(List<Integer> brokers, int shift) {
        List<Integer> order = new ArrayList<>(brokers);
        java.util.Collections.rotate(order, -(shift % brokers.size()));
        return order;
    }

    /** Waits until the stopped broker leads nothing and has left every in-sync replica set. */
    private static void awaitOutOfSync(Broker cluster, List<String> topics, int stopped) throws InterruptedException {
        long deadline = System.nanoTime() + MachinePace.scale(Duration.ofSeconds(15)).toNanos();
        while (System.nanoTime() < deadline) {
            boolean settled = topics.stream().allMatch(topic -> cluster.describe(topic).orElseThrow().partitions().stream()
                    .allMatch(p -> p.leader() != null && p.leader().id() != stopped && p.isr().stream().noneMatch(n -> n.id() == stopped)));
            if (settled) {
                return;
            }
            Thread.sleep(200);
        }
        throw new StackException("Broker " + stopped + " was stopped but the cluster did not take it out of the in-sync replicas within "
                + MachinePace.scale(Duration.ofSeconds(15)).toSeconds() + " s: this machine is too slow or too busy right now ("
                + MachinePace.describe() + "). Grade again when it is less busy.");
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
                String hint = hint(partition.getValue(), actual);
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

    /** What a wrong line most likely mixed up: leader, replicas and ISR differ here on purpose. */
    private static String hint(String expected, String actual) {
        String[] want = expected.split("\t", -1);
        String[] got = actual.split("\t", -1);
        if (actual.contains("id:") || actual.contains("[")) {
            return "A broker is printed as a Node: print its id (leader().id(), and ids(...) for the lists).";
        }
        if (got.length == 5 && !want[4].equals(want[3]) && got[4].trim().equals(want[3])) {
            return "The in-sync replicas are not always all the replicas: a broker of this cluster is stopped, so it is a replica "
                    + "but not in sync. Print partition.isr(), not partition.replicas().";
        }
        if (got.length == 5 && !want[2].equals(want[3].split(",")[0]) && got[2].trim().equals(want[3].split(",")[0])) {
            return "The leader is not always the first replica: when that broker is down another one leads. Print partition.leader().id().";
        }
        return "Print the leader's id, then the replicas' ids and the in-sync replicas' ids, comma-separated, "
                + "from the TopicPartitionInfo of this partition, in the order the broker gives them.";
    }

    private static String describe(List<Integer> partitions) {
        if (partitions.isEmpty()) {
            return "no partitions";
        }
        return "partitions " + partitions.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
