package workshop.graders.replication;

import workshop.stack.MachinePace;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;
import workshop.stack.BrokerControl;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades replication1: while the program writes, the grader stops the broker leading partition 0,
 * waits for a new leader, starts the broker again, and then counts: no acknowledged rating may
 * be missing. The settings that make this hold (replication factor 3, min.insync.replicas 2,
 * acks=all, idempotence) are checked as well, so an unsafe configuration fails even when a run
 * happened to lose nothing.
 */
@Grader(isolation = "3-broker cluster")
class DurableRatingsGrader {

    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(10);

    private String topic;
    private List<Rating> ratings;
    private ProgramRun run;
    private Optional<TopicDescription> before = Optional.empty();
    private Integer stoppedBroker;
    private Integer newLeader;
    private Map<String, String> topicConfig = Map.of();
    private Map<String, String> producerConfig = Map.of();
    private List<ConsumerRecord<String, String>> records = List.of();

    @BeforeAll
    void runExercise(Workbench bench) throws Exception {
        topic = bench.name("durable-ratings");
        ratings = Ratings.generate(ThreadLocalRandom.current().nextLong(), 60 + ThreadLocalRandom.current().nextInt(30));
        var file = bench.writeRatingsFile(ratings);
        producerConfig = bench.program().configFrom("producerConfig");
        Broker cluster = bench.cluster();
        BrokerControl control = bench.brokerControl().orElseThrow(() -> Expect.fail(
                "This grader stops a broker, which this stack does not allow", "the embedded stack (./jbang workshop stack up)",
                "an external stack", "Grade this module on the workshop's own stack: ./jbang workshop check replication1 --stack=embedded"));

        RunningProgram program = bench.program().start(Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString(), "SEND_INTERVAL_MS", "40"));
        try {
            if (program.awaitOutput(line -> line.startsWith("acked\t" + (ratings.size() / 4)), Duration.ofSeconds(15))) {
                before = cluster.describe(topic);
                stoppedBroker = before.map(d -> d.partitions().get(0).leader()).map(Node::id).orElse(null);
            }
            if (stoppedBroker != null) {
                control.stopBroker(stoppedBroker);
                try {
                    newLeader = awaitNewLeader(cluster, stoppedBroker);
                } finally {
                    control.startBroker(stoppedBroker);
                }
            }
            run = program.await(Duration.ofSeconds(60));
        } finally {
            if (program.isAlive()) {
                program.kill();
            }
        }
        awaitFullIsr(cluster);
        topicConfig = cluster.describe(topic).isPresent() ? cluster.topicConfig(topic) : Map.of();
        records = cluster.records(topic);
    }

    /** The new leader of partition 0, or null when none took over in time. */
    private Integer awaitNewLeader(Broker cluster, int stopped) throws InterruptedException {
        long deadline = System.nanoTime() + MachinePace.scale(FAILOVER_TIMEOUT).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> now = cluster.describe(topic);
            Node leader = now.map(d -> d.partitions().get(0).leader()).orElse(null);
            if (leader != null && leader.id() != stopped && !leader.isEmpty()) {
                return leader.id();
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Leaves the cluster as found: every replica back in sync, for the next grading. */
    private void awaitFullIsr(Broker cluster) throws InterruptedException {
        long deadline = System.nanoTime() + MachinePace.scale(FAILOVER_TIMEOUT).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> now = cluster.describe(topic);
            if (now.isEmpty() || now.get().partitions().stream().allMatch(p -> p.isr().size() == p.replicas().size())) {
                return;
            }
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    @DisplayName("every partition is copied on three brokers")
    void replicationFactor() {
        Expect.isTrue(before.isPresent(), "The program did not create the topic, or acknowledged nothing", "the topic " + topic, "none",
                "Create it with the replication factor set in REPLICATION_FACTOR, then send.");
        Set<Integer> factors = before.get().partitions().stream().map(p -> p.replicas().size()).collect(Collectors.toCollection(TreeSet::new));
        Expect.equal("The topic keeps fewer copies than the cluster has brokers", "[3]", factors.toString(),
                "With a replication factor of 1, a partition whose broker stops is gone until it comes back. Use 3.");
    }

    @Test
    @Order(2)
    @DisplayName("a write needs two in-sync replicas (min.insync.replicas=2)")
    void minInSyncReplicas() {
        Expect.equal("The topic accepts writes that only one broker has", "2", topicConfig.getOrDefault("min.insync.replicas", "(no topic)"),
                "With min.insync.replicas=1, acks=all is satisfied by the leader alone: if it dies right after, the record is gone.");
    }

    @Test
    @Order(3)
    @DisplayName("the producer waits for every in-sync replica (acks=all) and is idempotent")
    void producerSettings() {
        String acks = producerConfig.getOrDefault("acks", "all (the default)");
        Expect.isTrue(acks.startsWith("all") || acks.equals("-1"), "The producer counts a record as written before the replicas have it",
                "acks=all", "acks=" + acks, "acks=1 acknowledges once the leader has the record: lose the leader, lose the record.");
        String idempotence = producerConfig.getOrDefault("enable.idempotence", "true");
        Expect.equal("Retries after a leader change may write records twice", "true", idempotence,
                "enable.idempotence=true lets the broker drop the duplicates that retries would write.");
    }

    @Test
    @Order(4)
    @DisplayName("a new leader takes over when the leader stops")
    void failover() {
        Expect.isTrue(stoppedBroker != null, "The grader could not stop the leader: the program acknowledged too little",
                "acknowledged ratings, then a leader to stop", run == null ? "no run" : run.stdout().size() + " lines of output",
                "Print acked<TAB>rating_id in the send callback, for each acknowledged rating.");
        Expect.isTrue(newLeader != null, "No other broker took over partition 0 after broker " + stoppedBroker + " stopped",
                "a new leader within " + FAILOVER_TIMEOUT.toSeconds() + " s", "none: the partition was offline",
                "Only a broker with a copy can lead: with one replica, the partition stops with its broker.");
    }

    @Test
    @Order(5)
    @DisplayName("the program rides through the leader change and ends")
    void runs() {
        Expect.isTrue(run != null, "The program was not run to its end", "a run", "none", null);
        run.expectSuccess("With retries (the default) the producer waits for the new leader; make sure main ends after the last send.");
        List<String> failed = run.stdout().stream().filter(l -> l.startsWith("failed")).toList();
        Expect.isTrue(failed.isEmpty(), "Some sends failed", "no failed sends", failed.size() + ", e.g. " + failed.stream().findFirst().orElse(""),
                "Failures during a leader change are retried unless the settings forbid it.");
    }

    @Test
    @Order(6)
    @DisplayName("no acknowledged rating is lost, none is written twice")
    void nothingLost() {
        Set<String> acked = run == null ? Set.of() : run.stdout().stream().filter(l -> l.startsWith("acked\t"))
                .map(l -> l.substring("acked\t".length()).trim()).collect(Collectors.toCollection(LinkedHashSet::new));
        Expect.isTrue(!acked.isEmpty(), "Nothing was acknowledged", "acked<TAB>rating_id lines", "none",
                "Print one line per acknowledged rating in the send callback.");
        List<String> stored = records.stream().map(r -> String.valueOf(Rating.fromJson(r.value()).ratingId())).toList();
        Set<String> missing = new TreeSet<>(acked);
        missing.removeAll(stored);
        Expect.isTrue(missing.isEmpty(), "Acknowledged ratings are missing from the topic", "every acknowledged rating",
                missing.size() + " missing, e.g. rating " + missing.stream().findFirst().orElse(""),
                "acks=all with min.insync.replicas=2 and a replication factor of 3 keeps what was acknowledged.");
        Expect.equal("Some ratings are in the topic more than once", stored.size(), new LinkedHashSet<>(stored).size(),
                "Idempotence (enable.idempotence=true) stops retries from writing duplicates.");
        Expect.equal("Not every rating was acknowledged", ratings.size(), acked.size(),
                "Every send should succeed once the new leader is there.");
    }
}
