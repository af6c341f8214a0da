package workshop;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import workshop.manifest.Exercise;
import workshop.room.ProgressEvent;
import workshop.room.RoomSettings;
import workshop.room.ScramBroker;
import workshop.stack.KafkaClientSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room mode on a secured broker (SASL/SCRAM, an authorizer, prefixed ACLs per learner): two
 * learners grade the solutions side by side through the runner (taking turns, and both the first
 * exercise), each seeing only names with their own prefix, and each grading reaches the progress
 * topic.
 *
 * <p>Covered (all with -Dworkshop.room.all=true, as the hosted CI runs it; by default one exercise
 * for each way a client meets the ACLs, {@link #ONE_OF_EACH_KIND}; topics1 and topics2 below): every exercise whose module
 * needs Kafka alone: modules 0, 1, 3, 4, 5, 9 (Kafka
 * Streams: application ids, hence internal topics and transactional ids, carry the prefix), and
 * the Kafka Streams exercises of 11 and 12. Module 2, whose stack includes the 3-broker cluster
 * that topics2 describes, on a secured 3-broker cluster of its own. Out of reach on a shared
 * cluster, graded on the workshop's own stacks instead: module 6 (it stops brokers). The ksqlDB
 * exercises need a ksqlDB server: KsqlRoomModeTest grades them under ACLs. Modules 7, 8 and
 * 13's Kafka Streams track (Kafka Connect, PostgreSQL and the schema registry beside this
 * broker, the worker with a login and ACLs of its own, and a REST API that asks each learner for
 * a login) are graded the same way by {@link RoomServicesTest}, opt-in; HttpCredentialsTest and
 * RegistryLoginTest cover the logins the other services may ask for. Not tried: a registry that
 * asks for a login by itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomModeTest {

    private static final List<String> LEARNERS = List.of("alice", "bob");
    private static final Set<Integer> MODULES = Set.of(0, 1, 2, 3, 4, 5, 9, 11, 12);
    private static final Duration GRADING_DEADLINE = Duration.ofMinutes(4);
    /** Graded over TLS too: a plain client's exercise and a Kafka Streams application. */
    private static final List<String> TLS_EXERCISES = List.of("log1", "streams1");
    /** Graded on a secured 3-broker cluster: its stack has one, and topics2 describes leaders, replicas and in-sync replicas. */
    private static final int CLUSTER_MODULE = 2;
    /**
     * Every covered exercise side by side: -Dworkshop.room.all=true (the hosted CI's verify job on
     * Linux). By default one exercise for each way a client meets the ACLs, which keeps the suite
     * within its minutes (all of them cost about 25 CPU-seconds more, on 2 cores about 12 s).
     */
    static final String ALL_SWITCH = "workshop.room.all";
    /**
     * The default selection: the first exercise (both learners at once), a consumer group's commits
     * (log3), Kafka's own perf tool with the learner's settings (producing3), a static group member (groups2), Kafka Streams' internal topics and
     * transactional ids (streams3: exactly once), a repartitioning join with a table (joins1) and a
     * windowed store (windows1).
     */
    static final Set<String> ONE_OF_EACH_KIND = Set.of("setup1", "log3", "producing3", "groups2", "streams3", "joins1", "windows1");

    private ScramBroker broker;
    private final Map<String, Path> workshops = new java.util.HashMap<>();

    @BeforeAll
    void startSecuredBroker() throws Exception {
        broker = ScramBroker.start(TemporaryFolders.create("scram-broker-"));
        try (Admin admin = broker.admin()) { // the instructor creates the progress topic
            admin.createTopics(List.of(new NewTopic(RoomSettings.PROGRESS_TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        for (String learner : LEARNERS) {
            broker.addLearner(learner, password(learner));
            Path workshop = Cli.copyOfWorkshop();
            writeStackProperties(workshop, learner, password(learner));
            workshops.put(learner, workshop);
        }
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String password(String learner) {
        return RoomGradings.password(learner);
    }

    private void writeStackProperties(Path workshop, String user, String password) throws Exception {
        RoomGradings.writeStackProperties(workshop, broker.bootstrapServers(), user, password, Map.of());
    }

    @Test
    @Order(1)
    void aLearnerTouchesOnlyNamesWithTheirOwnPrefix() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("bob.private", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (Admin alice = broker.admin("alice", password("alice"))) {
            alice.createTopics(List.of(new NewTopic("alice.scratch", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (String foreign : List.of("bob.scratch", "ratings")) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.createTopics(List.of(new NewTopic(foreign, 1, (short) 1))).all().get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), foreign);
            }
            ExecutionException group = assertThrows(ExecutionException.class,
                    () -> alice.listConsumerGroupOffsets("bob.dashboard").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
            assertInstanceOf(GroupAuthorizationException.class, group.getCause());
        }
        Map<String, Object> alice = KafkaClientSettings.with(ScramBroker.clientSettings("alice", password("alice")), Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(alice)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("bob.private", "x")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
    }

    @Test
    @Order(2)
    void twoLearnersGradeSideBySideOnTheSecuredBroker() throws Exception {
        List<Exercise> exercises = Grading.exercises().stream() // -Dworkshop.only=log3,groups1 narrows it, as for the other tests
                .filter(e -> MODULES.contains(Grading.MANIFEST.moduleOf(e).number()))
                // Kafka alone (see the class comment): not the 3-broker cluster (topics2 describes leaders, replicas
                // and ISR on it), nor ksqlDB.
                .filter(e -> Grading.MANIFEST.moduleOf(e).servicesFor(e).equals(Set.of(workshop.stack.Service.KAFKA)))
                .filter(e -> Boolean.getBoolean(ALL_SWITCH) || ONE_OF_EACH_KIND.contains(e.id())).toList();
        Assumptions.assumeFalse(exercises.isEmpty(), "No covered exercise selected (-Dworkshop.only; -D" + ALL_SWITCH + "=true for all)");
        // Taking turns, the first exercise by both at once (see RoomGradings.takeTurns).
        Map<String, List<Exercise>> gradedBy = RoomGradings.takeTurns(LEARNERS, exercises);
        assertEquals("", RoomGradings.gradeSideBySide(workshops, gradedBy, GRADING_DEADLINE, "room"),
                "Every covered solution passes for every learner");
        try (Admin admin = broker.admin()) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(), RoomGradings.unprefixed(topics, LEARNERS, t -> false), "Every topic a grading created carries its learner's prefix");
            assertTrue(topics.stream().anyMatch(t -> t.startsWith("alice.")) && topics.stream().anyMatch(t -> t.startsWith("bob.")), topics.toString());
        }
        List<ProgressEvent> events = RoomGradings.progressEvents(broker);
        for (String learner : LEARNERS) {
            Set<String> passed = events.stream().filter(e -> e.learner().equals(learner) && e.passed()).map(ProgressEvent::exercise).collect(Collectors.toSet());
            assertEquals(gradedBy.getOrDefault(learner, List.of()).stream().map(Exercise::id).collect(Collectors.toSet()), passed,
                    learner + "'s gradings on the board");
        }
        assertTrue(events.stream().allMatch(ProgressEvent::reference), "solutions are published as reference gradings");
    }

    @Test
    @Order(3)
    void aWrongPasswordIsOneClearLineAndFast() throws Exception {
        Path workshop = Cli.copyOfWorkshop();
        writeStackProperties(workshop, "alice", "not-her-password");
        Cli.Result result = Cli.run(workshop, Map.of("WORKSHOP_LEARNER", "alice"), "check", "--solution", "log1");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("refused the client's credentials"), result.all());
        assertFalse(result.all().contains("\tat "), "no stack trace: " + result.all());
        assertTrue(result.took().compareTo(Duration.ofSeconds(30)) < 0, "took " + result.took());
    }

    @Test
    @Order(4)
    void anInvalidLearnerNameIsOneClearLine() throws Exception {
        Cli.Result result = Cli.run(workshops.get("alice"), Map.of("WORKSHOP_LEARNER", "Alice Smith"), "check", "--solution", "log1");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("is not a valid learner name"), result.all());
    }

    /**
     * The same over TLS (SASL_SSL, a self-signed certificate the learner's truststore holds): the
     * client settings reach every client of the runner, the graders and the exercises, a plain
     * client's exercise and a Kafka Streams application alike.
     */
    @Test
    @Order(5)
    void aLearnerGradesOverTls() throws Exception {
        try (ScramBroker tls = ScramBroker.startWithTls(TemporaryFolders.create("scram-tls-broker-"))) {
            tls.addLearner("alice", password("alice"));
            Path workshop = Cli.copyOfWorkshop();
            RoomGradings.writeStackProperties(workshop, tls.bootstrapServers(), tls.settings("alice", password("alice")), Map.of());
            for (String exercise : TLS_EXERCISES) {
                Cli.Result result = grade(workshop, "alice", exercise);
                System.out.printf("    [room, TLS] alice graded %s: exit %d in %d s%n", exercise, result.exitCode(), result.took().toSeconds());
                assertEquals(0, result.exitCode(), result.all());
            }
            try (Admin admin = tls.admin()) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertTrue(!topics.isEmpty() && topics.stream().allMatch(t -> t.startsWith("alice.")), topics.toString());
            }
        }
    }

    /**
     * Module 2 on a secured 3-broker cluster (the workshop's embedded cluster with a SASL/SCRAM
     * listener, the same authorizer and ACLs), handed out as both the broker and the 3-broker
     * cluster: both learners at once, topics2 describing the leaders, replicas and in-sync
     * replicas of topics under each one's prefix. Nothing stops a broker here: a learner never
     * does on a shared cluster (module 6 stays on the laptops).
     */
    @Test
    @Order(6)
    void module2OnASecuredThreeBrokerCluster() throws Exception {
        List<Exercise> exercises = Grading.exercises().stream().filter(e -> Grading.MANIFEST.moduleOf(e).number() == CLUSTER_MODULE).toList();
        Assumptions.assumeFalse(exercises.isEmpty(), "No exercise of module " + CLUSTER_MODULE + " selected (-Dworkshop.only)");
        try (ScramBroker cluster = ScramBroker.startCluster(TemporaryFolders.create("scram-cluster-"), 3)) {
            Map<String, Path> onTheCluster = new java.util.HashMap<>();
            for (String learner : LEARNERS) {
                cluster.addLearner(learner, password(learner));
                Path workshop = Cli.copyOfWorkshop();
                RoomGradings.writeStackProperties(workshop, cluster.bootstrapServers(), ScramBroker.clientSettings(learner, password(learner)),
                        Map.of("cluster.bootstrap.servers", cluster.bootstrapServers()));
                onTheCluster.put(learner, workshop);
            }
            try (Admin alice = cluster.admin("alice", password("alice"))) { // the authorizer is on
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.createTopics(List.of(new NewTopic("bob.scratch", 3, (short) 3))).all().get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            }
            Map<String, List<Exercise>> everyone = LEARNERS.stream().collect(Collectors.toMap(learner -> learner, learner -> exercises));
            assertEquals("", RoomGradings.gradeSideBySide(onTheCluster, everyone, GRADING_DEADLINE, "room, 3 brokers"),
                    "Module " + CLUSTER_MODULE + " passes for both learners at once");
            try (Admin admin = cluster.admin()) {
                assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertEquals(Set.of(), RoomGradings.unprefixed(topics, LEARNERS, t -> false), topics.toString());
            }
        }
    }

    /** The runner, as the learner runs it; a generous deadline, for a loaded machine. */
    private static Cli.Result grade(Path workshop, String learner, String exercise) throws Exception {
        long started = System.nanoTime();
        Path out = Files.createTempFile("room-" + learner + "-" + exercise, ".out");
        try {
            Process process = Cli.builder(workshop, Map.of("WORKSHOP_LEARNER", learner), "check", "--solution", exercise)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(GRADING_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Cli.Result(-1, Files.readString(out) + "\n(did not end within " + GRADING_DEADLINE.toSeconds() + " s)", "",
                        Duration.ofNanos(System.nanoTime() - started));
            }
            return new Cli.Result(process.exitValue(), Files.readString(out), "", Duration.ofNanos(System.nanoTime() - started));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
