package workshop;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import workshop.manifest.Exercise;
import workshop.room.ProgressEvent;
import workshop.room.RoomSettings;
import workshop.room.LoginConnect;
import workshop.room.ScramBroker;
import workshop.stack.MachinePace;
import workshop.stack.Progress;
import workshop.stack.embedded.EmbeddedConnect;
import workshop.stack.embedded.EmbeddedPostgres;
import workshop.stack.embedded.EmbeddedSchemaRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Room mode with the room's services: the modules that need Kafka Connect, PostgreSQL and a schema
 * registry (7, 8, and 13's Kafka Streams track) graded for two learners on the secured broker of
 * {@link RoomModeTest} (SASL/SCRAM, prefixed ACLs per learner), taking turns and both the first
 * exercise, with one Kafka Connect worker, one PostgreSQL and one registry for the room.
 *
 * <p>The Connect worker logs in as a principal of its own ({@code connect}) and runs every
 * learner's connectors under that login, with the ACLs of {@link ScramBroker#connectWorkerAcls}:
 * learners are kept apart on the broker, not inside Connect (any learner may change any
 * connector through Connect's REST API). The worker's REST API asks for a login, as Apache Kafka
 * ships it ({@link LoginConnect}: the basic-auth REST extension, one login per learner): the
 * learners' stack.properties carry theirs, and without it, or with a wrong one, the runner stops
 * at once with one line that says what to set. The registry keeps its schemas in memory: it has
 * no Kafka login. An in-process worker also runs connect2's connectors over TLS (SASL_SSL). Not
 * covered: the ksqlDB track (capstone-sql*, see KsqlRoomModeTest), a registry that asks for a
 * login by itself (Apicurio 2.6 asks only through an OpenID Connect server such as Keycloak;
 * RegistryLoginTest puts a proxy with a login in front of it instead).
 *
 * <p>Two to four minutes, so opt-in: {@code -Dworkshop.room.services=true} (scripts/ci-verify.sh
 * switches it on on Linux).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomServicesTest {

    static final String SWITCH = "workshop.room.services";
    private static final List<String> LEARNERS = List.of("alice", "bob");
    private static final Set<Integer> MODULES = Set.of(7, 8, 13);
    private static final Duration GRADING_DEADLINE = Duration.ofMinutes(10);
    private static final String CONNECT_USER = "connect";
    private static final String CONNECT_PASSWORD = "connect-secret";

    /** Graded over TLS too: a source and two sink connectors, so each kind of the worker's clients. */
    private static final String TLS_EXERCISE = "connect2";

    /** Where a learner's stack.properties holds their login on Connect's REST API. */
    private static final String CONNECT_LOGIN_KEY = "connect.basic.auth.user.info";
    /** Without the login, the runner says so within this; a grading that tried anyway would take minutes. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(45);

    private final List<AutoCloseable> services = new ArrayList<>();
    private ScramBroker broker;
    private LoginConnect connect;
    private Map<String, String> roomServices;
    private EmbeddedPostgres postgres;
    private final Map<String, Path> workshops = new HashMap<>();

    @BeforeAll
    void startTheRoom() throws Exception {
        if (!switchedOn()) {
            return; // each test says why it is skipped
        }
        Path dir = TemporaryFolders.create("room-services-");
        broker = ScramBroker.start(dir.resolve("kafka"));
        services.add(broker);
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(RoomSettings.PROGRESS_TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        broker.addUser(CONNECT_USER, CONNECT_PASSWORD,
                ScramBroker.connectWorkerAcls(CONNECT_USER, EmbeddedConnect.GROUP, EmbeddedConnect.INTERNAL_TOPIC_PREFIX, LEARNERS));
        Path tools = WorkshopRoot.stateDir(Grading.ROOT).resolve("tools");
        postgres = EmbeddedPostgres.start(0, dir.resolve("postgres"),
                Grading.ROOT.resolve("docker/postgres/init/01-customers.sql"), tools, Progress.silent());
        services.add(postgres);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("schema-registry"), tools, Progress.silent());
        services.add(registry);
        Map<String, String> connectLogins = LEARNERS.stream().collect(Collectors.toMap(learner -> learner, RoomServicesTest::connectPassword));
        connect = LoginConnect.start(dir.resolve("connect"), broker.bootstrapServers(), broker.settings(CONNECT_USER, CONNECT_PASSWORD), connectLogins);
        services.add(connect);
        roomServices = Map.of(
                "connect.url", connect.url(),
                "postgres.url", postgres.jdbcUrl(),
                "schema.registry.url", registry.confluentApiUrl());
        for (String learner : LEARNERS) {
            broker.addLearner(learner, RoomGradings.password(learner));
            Path workshop = Cli.copyOfWorkshop();
            Map<String, String> withLogin = new HashMap<>(roomServices);
            withLogin.put(CONNECT_LOGIN_KEY, learner + ":" + connectPassword(learner));
            RoomGradings.writeStackProperties(workshop, broker.bootstrapServers(), learner, RoomGradings.password(learner), withLogin);
            workshops.put(learner, workshop);
        }
    }

    /** A learner's password on Connect's REST API (not their Kafka one). */
    private static String connectPassword(String learner) {
        return learner + "-connect-secret";
    }

    private static boolean switchedOn() {
        return Boolean.getBoolean(SWITCH);
    }

    private static void requireSwitch() {
        Assumptions.assumeTrue(switchedOn(),
                "Room mode with Connect, PostgreSQL and the registry takes minutes: run it with -D" + SWITCH + "=true");
    }

    @AfterAll
    void stopTheRoom() {
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                // close the others
            }
        }
    }

    /** Connect's internal topics hold every connector's configuration, database passwords included: no learner reads them. */
    @Test
    @Order(1)
    void aLearnerIsRefusedOutsideTheirPrefix() throws Exception {
        requireSwitch();
        try (Admin alice = broker.admin("alice", RoomGradings.password("alice"))) {
            for (String foreign : List.of("bob.customers", EmbeddedConnect.INTERNAL_TOPIC_PREFIX + "configs")) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.createTopics(List.of(new NewTopic(foreign, 1, (short) 1))).all().get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), foreign);
            }
            ExecutionException internal = assertThrows(ExecutionException.class,
                    () -> alice.describeTopics(List.of(EmbeddedConnect.INTERNAL_TOPIC_PREFIX + "configs")).allTopicNames().get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, internal.getCause());
            for (String group : List.of("connect-bob.customers", EmbeddedConnect.GROUP)) {
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
                assertInstanceOf(GroupAuthorizationException.class, refused.getCause(), group);
            }
        }
    }

    @Test
    @Order(2)
    void twoLearnersGradeConnectSchemasAndTheCapstone() throws Exception {
        requireSwitch();
        List<Exercise> exercises = Grading.exercises().stream() // -Dworkshop.only=connect1,schemas2 narrows it
                .filter(e -> MODULES.contains(Grading.MANIFEST.moduleOf(e).number()) && !e.ksqldb()).toList();
        Assumptions.assumeFalse(exercises.isEmpty(), "No exercise of modules 7, 8, 13 selected (-Dworkshop.only)");
        Map<String, List<Exercise>> gradedBy = RoomGradings.takeTurns(LEARNERS, exercises);
        long started = System.nanoTime();
        String failed = RoomGradings.gradeSideBySide(workshops, gradedBy, GRADING_DEADLINE, "room services");
        System.out.printf("    [room services] %d exercises graded in %d s%n", exercises.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertEquals("", failed, "Every solution of modules 7, 8 and 13 passes for every learner");
        try (Admin admin = broker.admin()) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertEquals(Set.of(), RoomGradings.unprefixed(topics, LEARNERS, t -> t.startsWith(EmbeddedConnect.INTERNAL_TOPIC_PREFIX)),
                    "Every topic carries a learner's prefix, or is one of the Connect worker's");
            Set<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(g -> g.groupId()).collect(Collectors.toSet());
            assertEquals(Set.of(), RoomGradings.unprefixed(groups, LEARNERS,
                            g -> g.equals(EmbeddedConnect.GROUP) || LEARNERS.stream().anyMatch(l -> g.startsWith(ScramBroker.CONNECT_GROUP_PREFIX + l + "."))),
                    "Every group carries a learner's prefix, or is a learner's sink connector's, or the Connect worker's");
        }
        List<ProgressEvent> events = RoomGradings.progressEvents(broker);
        for (String learner : LEARNERS) {
            Set<String> passed = events.stream().filter(e -> e.learner().equals(learner) && e.passed()).map(ProgressEvent::exercise).collect(Collectors.toSet());
            assertEquals(gradedBy.getOrDefault(learner, List.of()).stream().map(Exercise::id).collect(Collectors.toSet()), passed,
                    learner + "'s gradings on the board");
        }
    }

    /**
     * The worker over TLS (SASL_SSL, a self-signed certificate in a truststore): the truststore
     * reaches the worker's own clients and those of its connectors, as the login does.
     */
    @Test
    @Order(3)
    void aConnectWorkerWorksOverTls() throws Exception {
        requireSwitch();
        List<Exercise> exercises = Grading.exercises().stream().filter(e -> e.id().equals(TLS_EXERCISE)).toList();
        Assumptions.assumeFalse(exercises.isEmpty(), TLS_EXERCISE + " not selected (-Dworkshop.only)");
        try (ScramBroker tls = ScramBroker.startWithTls(TemporaryFolders.create("room-services-tls-"))) {
            tls.addUser(CONNECT_USER, CONNECT_PASSWORD,
                    ScramBroker.connectWorkerAcls(CONNECT_USER, EmbeddedConnect.GROUP, EmbeddedConnect.INTERNAL_TOPIC_PREFIX, List.of("alice")));
            tls.addLearner("alice", RoomGradings.password("alice"));
            try (EmbeddedConnect connect = EmbeddedConnect.start(tls.bootstrapServers(), 0, tls.settings(CONNECT_USER, CONNECT_PASSWORD))) {
                Path workshop = Cli.copyOfWorkshop();
                RoomGradings.writeStackProperties(workshop, tls.bootstrapServers(), tls.settings("alice", RoomGradings.password("alice")),
                        Map.of("connect.url", connect.url(), "postgres.url", postgres.jdbcUrl()));
                assertEquals("", RoomGradings.gradeSideBySide(Map.of("alice", workshop), Map.of("alice", exercises), GRADING_DEADLINE,
                        "room services, TLS"), TLS_EXERCISE + " passes over TLS");
            }
            try (Admin admin = tls.admin()) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertEquals(Set.of(), RoomGradings.unprefixed(topics, List.of("alice"), t -> t.startsWith(EmbeddedConnect.INTERNAL_TOPIC_PREFIX)),
                        topics.toString());
            }
        }
    }

    /**
     * The room's Connect asks for a login: a learner who has none, or a wrong one, gets one line
     * that says what to set, at once, before any exercise runs (connect1, and capstone1, whose
     * module needs Connect too).
     */
    @Test
    @Order(4)
    void withoutItsLoginConnectIsOneClearLineAtOnce() throws Exception {
        requireSwitch();
        Path workshop = Cli.copyOfWorkshop();
        RoomGradings.writeStackProperties(workshop, broker.bootstrapServers(),
                ScramBroker.clientSettings("alice", RoomGradings.password("alice")), roomServices); // no Connect login, no board
        Cli.Result none = Cli.run(workshop, Map.of("WORKSHOP_LEARNER", "alice"), "check", "--solution", "connect1");
        assertRefusedInOneLine(none, "Kafka Connect at " + connect.url() + " asked for a login (HTTP 401): set CONNECT_BASIC_AUTH_USER_INFO=<user>:<password>");
        Cli.Result wrong = Cli.run(workshop, Map.of("WORKSHOP_LEARNER", "alice", "CONNECT_BASIC_AUTH_USER_INFO", "alice:" + connectPassword("bob")),
                "check", "--solution", "capstone1");
        assertRefusedInOneLine(wrong, "Kafka Connect at " + connect.url() + " refused the login of CONNECT_BASIC_AUTH_USER_INFO");
    }

    private static void assertRefusedInOneLine(Cli.Result result, String line) {
        System.out.printf("    [room services] refused in %d ms: %s%n", result.took().toMillis(), result.all().strip());
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.all().contains(line), result.all());
        assertEquals(1, result.all().lines().filter(l -> l.contains("Kafka Connect")).count(), result.all());
        assertFalse(result.all().contains("Exception") || result.all().contains("\tat "), result.all());
        assertTrue(result.took().compareTo(MachinePace.scale(REFUSED_WITHIN)) < 0, "took " + result.took());
    }
}
