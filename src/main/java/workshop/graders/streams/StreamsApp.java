package workshop.graders.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import workshop.grading.Broker;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A learner's Kafka Streams application under grading: it runs in a JVM of its own with an
 * application id and a state directory of its own, until the grader stops it. The grader waits on
 * what it can observe on the broker (the application's committed offsets reaching the end of its
 * input), never on fixed sleeps.
 */
public final class StreamsApp {

    /** Generous: a loaded 2-core laptop takes seconds to start a JVM and join a group. */
    public static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    /** A group stable this long with no partition of an input assigned will never read it (one instance gets every task at once). */
    private static final Duration IGNORED_FOR = Duration.ofSeconds(3);
    /**
     * How often the broker is asked (five admin requests each time). Offsets are committed once a
     * second (the exercises' commit.interval.ms), so asking ten times a second only cost CPU.
     */
    private static final long POLL_EVERY_MS = 250;

    private final Workbench bench;
    private final String applicationId;
    private final String stateDir;
    private RunningProgram running;
    private final List<String> output = new ArrayList<>();
    private List<String> unread = List.of();

    public StreamsApp(Workbench bench, String name) {
        this.bench = bench;
        this.applicationId = bench.name("app-" + name);   // never the name of one of its topics
        this.stateDir = bench.scratchFile("state-" + applicationId).toString();
    }

    /**
     * Creates a topic that keeps its records whatever their timestamps: the graders' events carry
     * their own (past) times, and a topic's default retention of 7 days would have the broker
     * delete them at its next retention check, in the middle of a grading.
     */
    public static void createTopic(Workbench bench, String name, int partitions) {
        bench.broker().createTopic(name, partitions, (short) 1, Broker.KEEP_PAST_RECORDS);
    }

    public String applicationId() {
        return applicationId;
    }

    /** Starts the application with its id, state directory and {@code environment} (topic names). */
    public RunningProgram start(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("APPLICATION_ID", applicationId);
        env.put("STATE_DIR", stateDir);
        running = bench.program().start(env);
        return running;
    }

    /**
     * Waits until the application has processed and committed everything in {@code inputs}: its
     * group's committed offset is the end offset of every partition of the inputs and of every
     * other topic it reads (its repartition topics). Output is flushed before each commit, so its
     * output is then complete.
     *
     * @return false when the time ran out or the application died first
     */
    public boolean awaitConsumed(Collection<String> inputs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long ignoredSince = 0;
        while (System.nanoTime() < deadline) {
            if (running != null && !running.isAlive()) {
                return false;
            }
            if (consumedAll(inputs)) {
                return true;
            }
            // Its topology does not read an input at all: no use waiting for its offsets.
            List<String> ignored = unassigned(inputs);
            if (ignored.isEmpty()) {
                ignoredSince = 0;
            } else if (ignoredSince == 0) {
                ignoredSince = System.nanoTime();
            } else if (System.nanoTime() - ignoredSince > workshop.stack.MachinePace.scale(IGNORED_FOR).toNanos()) {
                unread = ignored;
                return false;
            }
            sleep(POLL_EVERY_MS);
        }
        return false;
    }

    /** The inputs of which the group, stable, holds no partition (empty while it forms or cannot be described). */
    private List<String> unassigned(Collection<String> inputs) {
        try {
            var group = bench.broker().admin().describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (group.groupState() != org.apache.kafka.common.GroupState.STABLE || group.members().isEmpty()) {
                return List.of();
            }
            java.util.Set<String> read = new java.util.HashSet<>();
            group.members().forEach(member -> member.assignment().topicPartitions().forEach(p -> read.add(p.topic())));
            return read.isEmpty() ? List.of() : inputs.stream().filter(topic -> !read.contains(topic)).toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    private boolean consumedAll(Collection<String> inputs) {
        Admin admin = bench.broker().admin();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            List<String> topics = new ArrayList<>(inputs);
            admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                    .forEach(topics::add);   // it reads these too, and may not have committed them yet
            for (String topic : topics) {
                bench.broker().describe(topic).orElseThrow().partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                    || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue()));
        } catch (Exception e) {
            return false; // the group does not exist yet, or the broker is slow: ask again
        }
    }

    /**
     * Stops the application at once (SIGKILL) and keeps what it printed. Its member leaves the
     * group at once, as its session timeout (45 s) would have it later: a restart then rebalances
     * without waiting for the dead member.
     */
    public void stop() {
        if (running != null) {
            running.kill();
            bench.broker().evictMembers(applicationId);
            output.addAll(running.stdoutLines());
            output.addAll(running.stderrLines());
        }
    }

    public boolean isAlive() {
        return running != null && running.isAlive();
    }

    /** The last lines the application printed (errors first come there), for a failure's message. */
    public String lastLines() {
        List<String> lines = new ArrayList<>(output);
        if (running != null && lines.isEmpty()) {
            lines.addAll(running.stdoutLines());
            lines.addAll(running.stderrLines());
        }
        List<String> interesting = lines.stream()
                .filter(line -> !line.isBlank() && !line.startsWith("\tat ") && !line.startsWith("Topologies") && !line.startsWith("   "))
                .toList();
        return String.join("\n", interesting.subList(Math.max(0, interesting.size() - 6), interesting.size()));
    }

    /** What the application's state says when it did not get through its input in time. */
    public String notConsumedActual() {
        String tail = lastLines();
        return (!unread.isEmpty() ? "it runs, but its topology reads nothing of " + String.join(", ", unread)
                : isAlive() ? "still processing after " + PROGRESS_TIMEOUT.toSeconds() + " s" : "the application stopped")
                + (tail.isBlank() ? "" : ", its last lines:\n" + tail);
    }

    /**
     * Every committed record of a topic (what a read_committed consumer sees: nothing of aborted
     * transactions), in offset order per partition; an absent topic holds nothing.
     */
    public static List<ConsumerRecord<String, String>> committedRecords(Broker broker, String topic) {
        return records(broker, topic, new StringDeserializer(), "read_committed");
    }

    /** Every record of a topic with values as bytes (a state store's changelog holds serialized values). */
    public static List<ConsumerRecord<String, byte[]>> rawRecords(Broker broker, String topic) {
        return records(broker, topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(), "read_uncommitted");
    }

    private static <V> List<ConsumerRecord<String, V>> records(Broker broker, String topic,
                                                               org.apache.kafka.common.serialization.Deserializer<V> values, String isolation) {
        var description = broker.describe(topic);
        if (description.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = description.get().partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(broker.clientConfig(Map.of( // room mode: the cluster's security settings
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis())), new StringDeserializer(), values)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // read_committed: the last stable offsets
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
