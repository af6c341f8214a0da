package workshop.graders.groups;

import workshop.stack.MachinePace;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades groups2: a processor that survives a crash. The grader starts it on a fresh topic,
 * watches the file it appends rating ids to, kills it (like kill -9) in the middle of its second
 * batch, looks at what the group had committed at that moment, restarts it with the same group
 * and waits for it to end. Every rating must be in the file at least once, the restart must
 * carry on from the last commit, and the group's lag must be 0.
 */
@Grader(isolation = "timing")
class CrashSafeProcessorGrader {

    static final int PARTITIONS = 3;
    /** The exercise's batches: max.poll.records. */
    static final int BATCH = 10;
    /** Kill once this many ratings are processed: after the first batch was committed, within the second. */
    static final int KILL_AT = 15;
    /**
     * The work per record on a quiet machine (the program's PROCESS_MS), longer on a busy one: the
     * kill must land after a commit the program makes before it works on a record (the mistake
     * this grader rejects), and on a busy machine that commit takes tens of milliseconds. With 50 ms
     * of work and the kill 20 ms after the 15th line, a faster suite let that mistake pass once.
     */
    static final Duration PROCESS = Duration.ofMillis(100);
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(25);

    private final Map<Long, TopicPartition> partitionOf = new TreeMap<>();
    private final Map<Long, Long> offsetOf = new TreeMap<>();
    private String topic;
    private String group;
    private boolean reachedKillPoint;
    private ProgramRun firstRun;
    private List<Long> processedAtKill = List.of();
    private Map<TopicPartition, Long> committedAtKill = Map.of();
    private ProgramRun restart;
    private List<Long> processed = List.of();
    private Map<TopicPartition, Long> committed = Map.of();
    private Map<TopicPartition, Long> ends = Map.of();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        topic = bench.name("ratings");
        group = bench.name("processor");
        bench.broker().createTopic(topic, PARTITIONS);
        List<Rating> ratings = Ratings.generate(random.nextLong(), 30 + random.nextInt(15));
        int first = random.nextInt(PARTITIONS);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < ratings.size(); i++) {
            records.add(new ProducerRecord<>(topic, (first + i) % PARTITIONS, null, ratings.get(i).toJson()));
        }
        List<RecordMetadata> stored = bench.broker().produce(records);
        for (int i = 0; i < ratings.size(); i++) {
            partitionOf.put(ratings.get(i).ratingId(), new TopicPartition(topic, stored.get(i).partition()));
            offsetOf.put(ratings.get(i).ratingId(), stored.get(i).offset());
        }

        long processMs = MachinePace.scale(PROCESS).toMillis();
        Path file = bench.scratchFile("processed.txt");
        Map<String, String> env = Map.of(
                "RATINGS_TOPIC", topic,
                "GROUP_ID", group,
                "INSTANCE_ID", bench.name("processor-1"),
                "PROCESSED_FILE", file.toString(),
                "PROCESS_MS", String.valueOf(processMs),
                "IDLE_MS", "2000");

        RunningProgram running = bench.program().start(env);
        reachedKillPoint = awaitProcessed(running, file, KILL_AT, RUN_TIMEOUT);
        if (reachedKillPoint) {
            sleep(processMs / 2); // well inside the 16th rating's work, after any commit made before it
            running.kill();
        }
        firstRun = running.await(Duration.ofSeconds(1)); // ended already, or stopped now
        processedAtKill = readIds(file);
        committedAtKill = bench.broker().committedOffsets(group);

        if (reachedKillPoint) {
            restart = bench.program().start(env).await(RUN_TIMEOUT);
            processed = readIds(file);
            committed = bench.broker().committedOffsets(group);
        }
        ends = bench.broker().endOffsets(topic);
    }

    /** Waits until the file holds {@code count} lines; false when the program ended first or time ran out. */
    private static boolean awaitProcessed(RunningProgram program, Path file, int count, Duration timeout) {
        long deadline = System.nanoTime() + MachinePace.scale(timeout).toNanos();
        while (System.nanoTime() < deadline) {
            if (readIds(file).size() >= count) {
                return true;
            }
            if (!program.isAlive()) {
                return readIds(file).size() >= count;
            }
            sleep(5);
        }
        return false;
    }

    /** The rating ids in the file, in file order; lines that are not a number (a line cut by the kill) are skipped. */
    static List<Long> readIds(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Long> ids = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String id = line.strip();
                if (id.matches("\\d{1,18}")) {
                    ids.add(Long.parseLong(id));
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("it processes ratings until it is killed, and after a restart ends by itself")
    void runs() {
        if (!reachedKillPoint) {
            if (firstRun.timedOut() || firstRun.exitCode() == 0) {
                throw Expect.fail("The processor did not get to " + KILL_AT + " processed ratings, so the grader could not crash it "
                                + "in the middle of its work", KILL_AT + " rating ids in PROCESSED_FILE",
                        processedAtKill.size() + " rating ids",
                        "Keep process(record, processed) for every record of every poll(): it appends the rating id to the file.");
            }
            firstRun.expectSuccess("");
            throw Expect.fail("The processor stopped before the grader could crash it", "a run to kill", "no run", "");
        }
        restart.expectSuccess("Keep the loop's idle test: the program stops when poll() returned nothing for IDLE_MS.");
    }

    @Test
    @Order(2)
    @DisplayName("when killed, it had committed its finished batches and nothing more")
    void committedOnlyFinishedWork() {
        Expect.isTrue(reachedKillPoint, "The grader could not crash the processor in the middle of its work",
                KILL_AT + " ratings processed, then a kill", processedAtKill.size() + " ratings processed",
                "See the first check.");
        Set<Long> done = new TreeSet<>(processedAtKill);
        List<Long> committedNotDone = new ArrayList<>();
        long committedCount = 0;
        for (long ratingId : partitionOf.keySet()) {
            Long at = committedAtKill.get(partitionOf.get(ratingId));
            if (at != null && offsetOf.get(ratingId) < at) {
                committedCount++;
                if (!done.contains(ratingId)) {
                    committedNotDone.add(ratingId);
                }
            }
        }
        if (!committedNotDone.isEmpty()) {
            throw Expect.fail("When the processor was killed, the group had committed ratings it had not processed yet",
                    "commits only cover processed ratings", "committed but never processed: ratings " + committedNotDone,
                    "A commit tells the group: everything before this offset is done. Commit after the for loop that processes "
                            + "the batch, not right after poll(): a crash between the two loses the rest of the batch.");
        }
        Expect.isTrue(committedCount > 0, "When the processor was killed, after " + processedAtKill.size()
                        + " ratings, the group had committed nothing",
                "the first batch (" + BATCH + " ratings at most) committed", "no committed offsets",
                "Commit each batch as soon as it is processed (consumer.commitSync() after the for loop), not once at the end: "
                        + "a crash comes before the end.");
    }

    @Test
    @Order(3)
    @DisplayName("every rating is processed at least once, even across the crash")
    void nothingLost() {
        Expect.isTrue(restart != null, "The processor was not restarted", "a crash and a restart", "no crash",
                "See the first check.");
        Set<Long> missing = new TreeSet<>(partitionOf.keySet());
        missing.removeAll(processed);
        Expect.isTrue(missing.isEmpty(), "Some ratings were never processed",
                "all " + partitionOf.size() + " rating ids in PROCESSED_FILE",
                "missing ratings " + missing + (missing.isEmpty() ? "" : " (the killed run had processed " + processedAtKill.size() + ")"),
                missing.stream().anyMatch(id -> !processedAtKill.contains(id) && committedBefore(id))
                        ? "These ratings were committed before they were processed, and the crash came in between: the restart "
                        + "started after them. Commit a batch only once every record in it is processed."
                        : "Process every record that poll() returns, and keep polling until the program has been idle for IDLE_MS.");
    }

    private boolean committedBefore(long ratingId) {
        Long at = committedAtKill.get(partitionOf.get(ratingId));
        return at != null && offsetOf.get(ratingId) < at;
    }

    @Test
    @Order(4)
    @DisplayName("the restart carries on from the last commit: at most one batch is processed twice")
    void restartCarriesOn() {
        Expect.isTrue(restart != null, "The processor was not restarted", "a crash and a restart", "no crash",
                "See the first check.");
        Map<Long, Integer> times = new TreeMap<>();
        processed.forEach(id -> times.merge(id, 1, Integer::sum));
        List<Long> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        Expect.isTrue(twice.size() < BATCH, "The restart processed again ratings that were done long before the crash",
                "fewer than " + BATCH + " ratings processed twice (the rest of the batch cut by the crash)",
                twice.size() + " processed twice: " + twice,
                twice.size() >= processedAtKill.size()
                        ? "The restart started from the beginning: nothing had been committed. Commit each batch once it is "
                        + "processed: consumer.commitSync() after the for loop."
                        : "Commit after every batch (every poll()), so that a restart only redoes the batch the crash cut short.");
    }

    @Test
    @Order(5)
    @DisplayName("the group's committed offsets reach the end of every partition (lag 0)")
    void lagIsZero() {
        Map<Integer, Long> lag = new TreeMap<>();
        for (var end : ends.entrySet()) {
            Long at = committed.get(end.getKey());
            lag.put(end.getKey().partition(), end.getValue() - (at == null ? 0 : at));
        }
        Expect.isTrue(restart != null && lag.values().stream().allMatch(l -> l == 0), "Group " + group + " lags behind",
                "lag 0 on every partition", "lag by partition " + lag,
                committed.isEmpty()
                        ? "The group committed nothing. Commit each batch once it is processed: consumer.commitSync()."
                        : "The last batches were not committed. Commit after every batch, including the last one.");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
