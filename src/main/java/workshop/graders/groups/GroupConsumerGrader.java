package workshop.graders.groups;

import workshop.stack.MachinePace;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grades groups1: consumer groups.
 *
 * <ol>
 * <li>Two consumers with different group ids run at once on a topic of four partitions: each
 *     must read every record.</li>
 * <li>Two consumers with the same group id run at once on a second topic. The grader writes a
 *     trickle of records to every partition while the group forms (so that nobody idles out while
 *     the rebalance runs), until the broker shows a stable group of two members, each with
 *     partitions of its own; then a last burst. Together the members must read every record once,
 *     and each must get a share.</li>
 * <li>Every group's committed offsets must reach the end offsets: lag 0.</li>
 * </ol>
 */
@Grader
class GroupConsumerGrader {

    static final int PARTITIONS = 4;
    /** How long a program polls nothing before it stops: its first fetch after the group's assignment must fit in it, later on a busy machine. */
    static final java.time.Duration IDLE = java.time.Duration.ofSeconds(2);
    /** A run lasts a second or two after its last record; this is the most a grading waits. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(25);
    /**
     * How long the group of two may take to form: JVM starts plus about one heartbeat (0.5 s in the
     * exercise, 3 s by default; 5 to 10 s with group.protocol=consumer on a default broker).
     */
    static final Duration GROUP_FORMS_WITHIN = Duration.ofSeconds(15);

    private static final Pattern LINE = Pattern.compile("^(\\d+)\\t(\\d+)\\t(.*)$");

    /** A record as the grader wrote it or a program printed it. */
    record Position(int partition, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            return partition != other.partition ? Integer.compare(partition, other.partition) : Long.compare(offset, other.offset);
        }

        @Override
        public String toString() {
            return partition + "/" + offset;
        }
    }

    private String topic;
    private String groupA;
    private String groupB;
    private final Map<Position, String> written = new TreeMap<>();
    private ProgramRun runA;
    private ProgramRun runB;

    private String sharedTopic;
    private String sharedGroup;
    private final Map<Position, String> writtenShared = new TreeMap<>();
    private ProgramRun memberOne;
    private ProgramRun memberTwo;
    /** The split the broker showed once the group of two was stable: partitions per member; empty if never. */
    private List<Set<Integer>> split = List.of();
    /** What the broker last said about the shared group while it formed, and the most members it ever had. */
    private ConsumerGroupDescription lastSeen;
    private int maxMembers;

    private final Map<String, Map<TopicPartition, Long>> committed = new LinkedHashMap<>();
    private final Map<String, Map<TopicPartition, Long>> ends = new HashMap<>();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        topic = bench.name("ratings");
        groupA = bench.name("dashboard");
        groupB = bench.name("audit");
        sharedTopic = bench.name("ratings-shared");
        sharedGroup = bench.name("scorers");
        bench.broker().createTopic(topic, PARTITIONS);
        bench.broker().createTopic(sharedTopic, PARTITIONS);

        // 1. Two groups, one member each, at once: each group must read everything.
        List<Rating> ratings = Ratings.generate(random.nextLong(), 20 + random.nextInt(20));
        int first = random.nextInt(PARTITIONS);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < ratings.size(); i++) {
            records.add(new ProducerRecord<>(topic, (first + i) % PARTITIONS, null, ratings.get(i).toJson()));
        }
        remember(bench.broker().produce(records), records, written);
        RunningProgram a = bench.program().start(env(topic, groupA));
        RunningProgram b = startSoonAfter(bench, env(topic, groupB));

        // 2. Meanwhile, one group with two members, on a topic of its own.
        RunningProgram one = startSoonAfter(bench, env(sharedTopic, sharedGroup));
        RunningProgram two = startSoonAfter(bench, env(sharedTopic, sharedGroup));
        feedWhileTheGroupForms(bench, one, two, random.nextLong());
        runA = a.await(RUN_TIMEOUT);
        runB = b.await(RUN_TIMEOUT);
        memberOne = one.await(RUN_TIMEOUT);
        memberTwo = two.await(RUN_TIMEOUT);

        // 3. Where each group's bookmarks are.
        for (String group : List.of(groupA, groupB, sharedGroup)) {
            committed.put(group, bench.broker().committedOffsets(group));
        }
        ends.put(topic, bench.broker().endOffsets(topic));
        ends.put(sharedTopic, bench.broker().endOffsets(sharedTopic));
    }

    /**
     * Starts a second program a moment after the first: Program.start rewrites the argument file
     * that the JVM it starts reads, so two starts at the same instant can hand one JVM a
     * half-written classpath.
     */
    static RunningProgram startSoonAfter(Workbench bench, Map<String, String> environment) {
        sleep(400);
        return bench.program().start(environment);
    }

    private Map<String, String> env(String topicName, String group) {
        return Map.of("RATINGS_TOPIC", topicName, "GROUP_ID", group, "IDLE_MS", String.valueOf(workshop.stack.MachinePace.scale(IDLE).toMillis()));
    }

    /**
     * Writes a record to every partition in turn, every 100 ms, until the broker shows the group
     * stable with two members that own partitions of their own; then two more records per
     * partition. Gives up early when both programs ended, or when they read records without
     * being members of the group (a fixed group id, or assign()).
     */
    private void feedWhileTheGroupForms(Workbench bench, RunningProgram one, RunningProgram two, long seed) {
        List<Rating> ratings = Ratings.generate(seed, 1_000);
        int next = 0;
        int readingOutsideTheGroup = 0;
        long deadline = System.nanoTime() + MachinePace.scale(GROUP_FORMS_WITHIN).toNanos();
        try (KafkaProducer<String, String> producer = producer(bench)) {
            while (System.nanoTime() < deadline && (one.isAlive() || two.isAlive())) {
                send(producer, new ProducerRecord<>(sharedTopic, next % PARTITIONS, null, ratings.get(next).toJson()));
                next++;
                int members = describeSharedGroup(bench);
                List<Set<Integer>> owned = stableSplit();
                if (!owned.isEmpty()) {
                    split = owned;
                    break;
                }
                boolean reading = !printed(one.stdoutLines()).isEmpty() || !printed(two.stdoutLines()).isEmpty();
                readingOutsideTheGroup = reading && members == 0 ? readingOutsideTheGroup + 1 : 0;
                if (readingOutsideTheGroup >= 5) {
                    break; // they read, but not as members of this group: it will not form
                }
                sleep(100);
            }
            for (int i = 0; i < 2 * PARTITIONS; i++, next++) {
                send(producer, new ProducerRecord<>(sharedTopic, next % PARTITIONS, null, ratings.get(next).toJson()));
            }
        }
    }

    private void send(KafkaProducer<String, String> producer, ProducerRecord<String, String> record) {
        try {
            RecordMetadata stored = producer.send(record).get(MachinePace.scale(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
            writtenShared.put(new Position(stored.partition(), stored.offset()), record.value());
        } catch (Exception e) {
            throw new IllegalStateException("The grader could not write to " + sharedTopic + ": " + e.getMessage(), e);
        }
    }

    private static KafkaProducer<String, String> producer(Workbench bench) {
        return new KafkaProducer<>(bench.broker().clientConfig(Map.of( // room mode: the cluster's security settings
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bench.broker().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)));
    }

    /** Asks the broker about the shared group (kept in {@link #lastSeen}); returns its member count, -1 when unknown. */
    private int describeSharedGroup(Workbench bench) {
        try {
            lastSeen = bench.broker().admin().describeConsumerGroups(List.of(sharedGroup)).describedGroups()
                    .get(sharedGroup).get(5, TimeUnit.SECONDS);
            maxMembers = Math.max(maxMembers, lastSeen.members().size());
            return lastSeen.members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                lastSeen = null;
                return 0;
            }
            return -1;
        } catch (Exception e) {
            return -1; // no answer this time: ask again
        }
    }

    /** The partitions of each member, when the group is stable with two members that split the topic; else empty. */
    private List<Set<Integer>> stableSplit() {
        ConsumerGroupDescription group = lastSeen;
        if (group == null || group.groupState() != GroupState.STABLE || group.members().size() != 2) {
            return List.of();
        }
        List<Set<Integer>> owned = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            Set<Integer> partitions = member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(sharedTopic))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (partitions.isEmpty()) {
                return List.of();
            }
            owned.add(partitions);
        }
        return owned;
    }

    private static void remember(List<RecordMetadata> stored, List<ProducerRecord<String, String>> records, Map<Position, String> into) {
        for (int i = 0; i < stored.size(); i++) {
            into.put(new Position(stored.get(i).partition(), stored.get(i).offset()), records.get(i).value());
        }
    }

    /** What a program printed, by position (a position printed twice appears once: see {@link #duplicates}). */
    static Map<Position, String> printed(List<String> lines) {
        Map<Position, String> printed = new TreeMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                printed.put(new Position(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))), m.group(3));
            }
        }
        return printed;
    }

    /** Positions printed more than once by one program. */
    static Set<Position> duplicates(List<String> lines) {
        Set<Position> seen = new TreeSet<>();
        Set<Position> twice = new TreeSet<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches() && !seen.add(new Position(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))))) {
                twice.add(new Position(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
            }
        }
        return twice;
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("every consumer stops by itself once no more records come")
    void runs() {
        for (ProgramRun run : List.of(runA, runB, memberOne, memberTwo)) {
            run.expectSuccess("Keep the loop's idle test: the program stops when poll() returned nothing for IDLE_MS.");
        }
    }

    @Test
    @Order(2)
    @DisplayName("consumers in different groups each read every record")
    void differentGroupsEachReadEverything() {
        Map<Position, String> readA = printed(runA.stdout());
        Map<Position, String> readB = printed(runB.stdout());
        Set<Position> readByBoth = new TreeSet<>(readA.keySet());
        readByBoth.retainAll(readB.keySet());
        for (var run : List.of(Map.entry(groupA, readA), Map.entry(groupB, readB))) {
            Map<Position, String> read = run.getValue();
            if (read.keySet().equals(written.keySet())) {
                continue;
            }
            String hint;
            if (read.isEmpty() && !(run.getKey().equals(groupA) ? runA : runB).succeeded()) {
                hint = "The program stopped before it read anything: see the first check.";
            } else if (readA.isEmpty() && readB.isEmpty()) {
                hint = "Neither consumer printed a record. A group with no committed offsets starts where auto.offset.reset says "
                        + "(earliest: the first record); and print each record as partition<TAB>offset<TAB>value.";
            } else if (readByBoth.isEmpty()) {
                hint = "The two consumers shared the records as if they were one group. Each program must join the group "
                        + "named by GROUP_ID (group.id), not a fixed one.";
            } else {
                hint = "Subscribe to the topic and print every record that poll() returns, from every partition.";
            }
            Expect.equal("The consumer in group " + run.getKey() + " did not read every record of the topic",
                    describe(written.keySet()), describe(read.keySet()), hint);
        }
        expectValues(readA, written);
        expectValues(readB, written);
    }

    @Test
    @Order(3)
    @DisplayName("two members of one group split the partitions between them")
    void membersSplitThePartitions() {
        Map<Position, String> one = printed(memberOne.stdout());
        Map<Position, String> two = printed(memberTwo.stdout());
        if (split.isEmpty()) {
            throw Expect.fail("The broker never showed a group of two members, each with partitions of its own",
                    "group " + sharedGroup + ": 2 members sharing " + PARTITIONS + " partitions",
                    lastSeen == null ? "no group " + sharedGroup
                            : "group " + sharedGroup + " in state " + lastSeen.groupState() + " with " + lastSeen.members().size()
                            + " members" + (maxMembers != lastSeen.members().size() ? " (at most " + maxMembers + ")" : ""),
                    notMembersHint(one, two));
        }
        Expect.isTrue(!one.isEmpty() && !two.isEmpty(), "One member of the group read nothing",
                "both members read records of their own partitions",
                "member 1: " + describe(one.keySet()) + "; member 2: " + describe(two.keySet()),
                "Each member reads the partitions the group gives it. Print every record poll() returns.");
    }

    @Test
    @Order(4)
    @DisplayName("together the members of one group read every record exactly once")
    void membersReadEverythingOnce() {
        Map<Position, String> one = printed(memberOne.stdout());
        Map<Position, String> two = printed(memberTwo.stdout());
        Set<Position> both = new TreeSet<>(one.keySet());
        both.retainAll(two.keySet());
        both.addAll(duplicates(memberOne.stdout()));
        both.addAll(duplicates(memberTwo.stdout()));
        Map<Position, String> together = new TreeMap<>(one);
        together.putAll(two);
        Set<Position> missing = new TreeSet<>(writtenShared.keySet());
        missing.removeAll(together.keySet());
        if (!missing.isEmpty()) {
            throw Expect.fail("Some records were read by neither member of group " + sharedGroup,
                    describe(writtenShared.keySet()), "missing " + describe(missing),
                    "Keep polling until the program has been idle for IDLE_MS, and print every record of every poll().");
        }
        if (!both.isEmpty()) {
            String hint = maxMembers == 0 ? notMembersHint(one, two)
                    : "A record read twice in a group is one that was handed over in a rebalance before the first member "
                    + "committed it. Commit (commitSync) after processing the records of each poll(), before the next poll().";
            throw Expect.fail("Some records were read twice within group " + sharedGroup,
                    "every record read once", "read twice: " + describe(both), hint);
        }
        expectValues(together, writtenShared);
    }

    @Test
    @Order(5)
    @DisplayName("every group's committed offsets reach the end of each partition (lag 0)")
    void lagIsZero() {
        for (var entry : committed.entrySet()) {
            String group = entry.getKey();
            String topicName = group.equals(sharedGroup) ? sharedTopic : topic;
            Map<TopicPartition, Long> end = ends.get(topicName);
            Map<TopicPartition, Long> bookmarks = entry.getValue();
            Map<Integer, Long> lag = new TreeMap<>();
            for (var partition : end.entrySet()) {
                Long at = bookmarks.get(partition.getKey());
                lag.put(partition.getKey().partition(), partition.getValue() - (at == null ? 0 : at));
            }
            String hint = bookmarks.isEmpty()
                    ? "The group committed nothing. After the records of a poll() are processed, commit them (consumer.commitSync()), "
                    + "as a member of the group that GROUP_ID names."
                    : "The group committed, but not up to the end. Commit after every poll() whose records you processed.";
            Expect.isTrue(lag.values().stream().allMatch(l -> l == 0), "Group " + group + " lags behind",
                    "lag 0 on every partition", "lag by partition " + lag + ", committed " + describeOffsets(bookmarks), hint);
        }
    }

    /** Why the programs did not form the group GROUP_ID, judged from what the broker showed. */
    private String notMembersHint(Map<Position, String> one, Map<Position, String> two) {
        boolean read = !one.isEmpty() || !two.isEmpty();
        if (read && (lastSeen == null || lastSeen.groupState() == GroupState.DEAD)) {
            return "The programs read records, but group " + sharedGroup + " (their GROUP_ID) never existed: they joined another "
                    + "group. Set group.id to GROUP_ID.";
        }
        if (read && maxMembers == 0) {
            return "The programs read and committed for group " + sharedGroup + ", but never as members of it: a consumer that "
                    + "takes partitions itself (assign) shares nothing. Subscribe instead: consumer.subscribe(List.of(TOPIC), ...).";
        }
        return "Join the group with consumer.subscribe(List.of(TOPIC), ...), and keep polling: a member only gets partitions "
                + "while it calls poll().";
    }

    // ---------------------------------------------------------------------------------------

    private static void expectValues(Map<Position, String> read, Map<Position, String> expected) {
        for (var entry : read.entrySet()) {
            String value = expected.get(entry.getKey());
            if (value != null && !value.equals(entry.getValue())) {
                throw Expect.fail("A printed value is not the record's value at partition " + entry.getKey().partition()
                                + ", offset " + entry.getKey().offset(), value, entry.getValue(),
                        "Print record.partition(), record.offset() and record.value(), separated by tabs.");
            }
        }
    }

    /** "12 records: partition 0 offsets 0..2, partition 1 ..." */
    static String describe(Set<Position> positions) {
        if (positions.isEmpty()) {
            return "no records";
        }
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        positions.stream().sorted().forEach(p -> byPartition.computeIfAbsent(p.partition(), k -> new ArrayList<>()).add(p.offset()));
        List<String> parts = new ArrayList<>();
        byPartition.forEach((partition, offsets) -> parts.add("partition " + partition + " " + ranges(offsets)));
        return positions.size() + (positions.size() == 1 ? " record (" : " records (") + String.join("; ", parts) + ")";
    }

    private static String ranges(List<Long> offsets) {
        List<String> ranges = new ArrayList<>();
        int i = 0;
        while (i < offsets.size()) {
            int j = i;
            while (j + 1 < offsets.size() && offsets.get(j + 1) == offsets.get(j) + 1) {
                j++;
            }
            ranges.add(i == j ? String.valueOf(offsets.get(i)) : offsets.get(i) + ".." + offsets.get(j));
            i = j + 1;
        }
        return (ranges.size() == 1 && !ranges.get(0).contains("..") ? "offset " : "offsets ") + String.join(", ", ranges);
    }

    private static String describeOffsets(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return "none";
        }
        Map<Integer, Long> byPartition = new TreeMap<>();
        offsets.forEach((p, o) -> byPartition.put(p.partition(), o));
        return byPartition.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
