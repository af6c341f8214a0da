package workshop;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import workshop.manifest.Exercise;
import workshop.room.ProgressEvent;
import workshop.room.RoomSettings;
import workshop.room.ScramBroker;
import workshop.stack.KafkaClientSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the room tests on the SCRAM broker share: each learner's login and stack.properties, who
 * grades which exercise, one runner JVM per learner grading side by side, and the check that
 * every topic carries a learner's prefix.
 */
final class RoomGradings {

    private RoomGradings() {
    }

    static String password(String learner) {
        return learner + "-secret";
    }

    /**
     * What the instructor hands a learner: the cluster, the learner's login (over plaintext), the
     * board switched on, and the room's other services ({@code connect.url=...}), if any.
     */
    static void writeStackProperties(Path workshop, String bootstrapServers, String user, String password, Map<String, String> services)
            throws Exception {
        Map<String, String> withBoard = new HashMap<>(services);
        withBoard.put(RoomSettings.PROGRESS_KEY, "on");
        writeStackProperties(workshop, bootstrapServers, ScramBroker.clientSettings(user, password), withBoard);
    }

    /** The cluster, these client settings (over TLS: the truststore too) and these other settings; no board unless they say so. */
    static void writeStackProperties(Path workshop, String bootstrapServers, Map<String, String> clientSettings, Map<String, String> services)
            throws Exception {
        Properties stack = new Properties();
        stack.putAll(clientSettings);
        stack.putAll(services);
        stack.put("bootstrap.servers", bootstrapServers);
        try (var writer = Files.newBufferedWriter(workshop.resolve("stack.properties"))) {
            stack.store(writer, "a room's stack");
        }
    }

    /**
     * Each exercise graded by one learner, taking turns: the ACLs refuse every name without the
     * learner's prefix, so each grading proves its exercise's names. The first one every learner
     * grades at once (the same names but for the prefix): learners do not collide. Fewer
     * gradings than "everyone grades everything", for the same proof.
     */
    static Map<String, List<Exercise>> takeTurns(List<String> learners, List<Exercise> exercises) {
        Map<String, List<Exercise>> gradedBy = new HashMap<>();
        for (int i = 0; i < exercises.size(); i++) {
            for (int l = 0; l < learners.size(); l++) {
                if (i == 0 || i % learners.size() == l) {
                    gradedBy.computeIfAbsent(learners.get(l), key -> new ArrayList<>()).add(exercises.get(i));
                }
            }
        }
        return gradedBy;
    }

    /**
     * Grades each learner's exercises with their solutions, one runner JVM per learner (one
     * exercise after the other, as a watch session does), all learners at once.
     *
     * @return what failed, with the runner's output; empty when every grading passed
     */
    static String gradeSideBySide(Map<String, Path> workshops, Map<String, List<Exercise>> gradedBy, Duration deadline, String tag)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workshops.size());
        try {
            List<Future<String>> failures = new ArrayList<>();
            for (String learner : workshops.keySet()) {
                failures.add(pool.submit(() -> grade(learner, workshops.get(learner), gradedBy.getOrDefault(learner, List.of()), deadline, tag)));
            }
            StringBuilder failed = new StringBuilder();
            for (Future<String> learner : failures) {
                failed.append(learner.get());
            }
            return failed.toString();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String grade(String learner, Path workshop, List<Exercise> exercises, Duration deadline, String tag) throws Exception {
        List<String> ids = exercises.stream().map(Exercise::id).toList();
        Process process = RoomBenchLearner.builder(workshop, Map.of("WORKSHOP_LEARNER", learner), ids).start();
        List<RoomBenchLearner.Graded> results;
        try {
            results = RoomBenchLearner.read(process);
        } finally {
            if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        StringBuilder failed = new StringBuilder();
        for (RoomBenchLearner.Graded result : results) {
            System.out.printf("    [%s] %s graded %s: exit %d in %d s%n", tag, learner, result.id(), result.exitCode(), result.millis() / 1000);
            if (result.exitCode() != 0) {
                failed.append("\n--- ").append(learner).append(' ').append(result.id()).append(":\n").append(result.output());
            }
        }
        if (results.size() != ids.size()) {
            failed.append("\n--- ").append(learner).append(": graded ").append(results.size()).append(" of ").append(ids);
        }
        return failed.toString();
    }

    /** The topics that carry no learner's prefix and are not one of the room's own ({@code shared}). */
    static Set<String> unprefixed(Set<String> topics, List<String> learners, Predicate<String> shared) {
        return topics.stream()
                .filter(t -> learners.stream().noneMatch(l -> t.startsWith(l + ".")) && !t.equals(RoomSettings.PROGRESS_TOPIC) && !shared.test(t))
                .collect(Collectors.toSet());
    }

    /** Every event on the progress board, read as the instructor (admin). */
    static List<ProgressEvent> progressEvents(ScramBroker broker) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClientSettings.with(
                ScramBroker.clientSettings(ScramBroker.ADMIN, ScramBroker.ADMIN_PASSWORD), Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class)))) {
            List<TopicPartition> partitions = List.of(0, 1, 2).stream().map(p -> new TopicPartition(RoomSettings.PROGRESS_TOPIC, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ProgressEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    ProgressEvent.fromJson(record.value()).ifPresent(events::add);
                }
            }
            return events;
        }
    }
}
