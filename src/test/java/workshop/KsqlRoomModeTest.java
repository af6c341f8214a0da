package workshop;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import workshop.graders.ksqldb.KsqlDb;
import workshop.grading.Broker;
import workshop.manifest.Exercise;
import workshop.room.ScramBroker;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room mode on a ksqlDB server: two learners grade the ksqlDB track's solutions (the .sql files
 * of modules 10 to 13, and the Java programs of modules 10 and 13 on ksqldb-api-client) at the
 * same time, on one ksqlDB and one Kafka, each in a runner JVM of their own with
 * {@code WORKSHOP_LEARNER}. Meanwhile the test watches the server and the broker: every stream,
 * table and persistent query that appears carries one learner's SQL prefix (ALICE_, BOB_), every
 * topic their prefix (alice., bob.), and ksqlDB's internal topics their query's. Both learners'
 * gradings compare what they read with the oracle: a row of the other learner's would fail them.
 *
 * <p>Needs a ksqlDB server on the stack's Kafka ({@code WORKSHOP_STACK=external} with
 * {@code KSQLDB_URL}); skipped, with the reason, elsewhere. The Java programs need Confluent's
 * client ({@code mvn -Pconfluent}); without it, the .sql exercises alone. capstone-sql2 (the
 * pipeline, with its connectors and tables) when the stack also has Connect, PostgreSQL and a registry.
 *
 * <p>When the stack's Kafka login is a SCRAM one, it is taken for the instructor's (a super user,
 * as {@link ScramBroker}'s admin): each learner then grades with a SCRAM login of their own and
 * only their prefixed ACLs ({@link ScramBroker#learnerAcls}), plus {@code Describe} on the groups
 * and topics of ksqlDB's persistent queries ({@code _confluent-ksql-<service id>query_}), which the
 * graders need to see that a query processed its input. The ksqlDB server's own login (a
 * principal of its own, {@value #KSQLDB_PRINCIPAL_PROPERTY}, default {@code User:ksql}) gets
 * {@code All} on each learner's topic prefix. {@value #ACLS_PROPERTY}{@code =prefix-only} leaves
 * out (or takes away) the learners' Describe grant: the gradings that wait for queries must then
 * fail at once, saying what to grant; {@code =off} leaves out the learners' logins (they use the stack's).
 * As run here: {@code java -cp <the test classpath> workshop.room.ScramBrokerMain DIR} (prints
 * bootstrap.servers, writes DIR/admin.properties); for capstone-sql2,
 * {@code workshop.room.RoomServicesMain DIR BOOTSTRAP alice bob} (the logins and ACLs of Connect
 * and of the ksqlDB server as the instructor guide grants them, then Connect logged in as
 * {@code connect}, PostgreSQL and the registry; writes DIR/room.env with their addresses and
 * DIR/ksql-login.properties); the ksqlDB server on that broker with that login (and
 * {@code ksql.schema.registry.url}); then the module 10 guide's command with the variables of
 * room.env, {@code KAFKA_CLIENT_PROPERTIES=DIR/admin.properties} and {@code -Dtest=KsqlRoomModeTest}.
 */
class KsqlRoomModeTest {

    private static final List<String> LEARNERS = List.of("alice", "bob");
    private static final Set<String> MODULES = Set.of("ksqldb", "joins", "windows", "capstone");
    private static final Set<Service> PIPELINE_SERVICES = Set.of(Service.CONNECT, Service.POSTGRES, Service.SCHEMA_REGISTRY);
    private static final Duration DEADLINE = Duration.ofMinutes(20);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    static final String ACLS_PROPERTY = "workshop.room.ksqldb.acls";
    static final String KSQLDB_PRINCIPAL_PROPERTY = "workshop.room.ksqldb.principal";

    @Test
    void twoLearnersGradeTheKsqlDbTrackSideBySide() throws Exception {
        Assumptions.assumeTrue(Stacks.shared().backend().equals("external")
                        && Stacks.shared().endpoints().address(Service.KSQLDB) != null,
                "Needs WORKSHOP_STACK=external with KSQLDB_URL (a ksqlDB server on that stack's Kafka)");
        List<String> ids = Grading.exercises().stream()
                .filter(Exercise::ksqldb)
                .filter(e -> MODULES.contains(Grading.MANIFEST.moduleOf(e).id()))
                // capstone-sql2's pipeline also needs Connect, PostgreSQL and the registry of that stack.
                .filter(e -> !e.id().equals("capstone-sql2") || PIPELINE_SERVICES.stream().allMatch(s -> Stacks.shared().endpoints().address(s) != null))
                .filter(e -> Grading.notGradable(e).isEmpty())
                .map(Exercise::id).toList();
        Assumptions.assumeFalse(ids.isEmpty(), "No ksqlDB exercise selected (-Dworkshop.only)");

        // The suite's own gradings (no learner, when they run in the same build) would be names without
        // a learner's prefix on the same server: they end first.
        GradingPlan.awaitAllPlanned();
        String ksqlUrl = Stacks.shared().endpoints().address(Service.KSQLDB);
        KsqlDb ksql = new KsqlDb(ksqlUrl, Stacks.shared().endpoints().userInfo(Service.KSQLDB));
        Broker kafka = new Broker(Stacks.shared().endpoints().bootstrapServers(), Stacks.shared().endpoints().kafkaClient());
        Map<String, Map<String, String>> logins = logins(kafka, ksql);
        Names before = names(ksql, kafka);
        Names seen = new Names(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        ExecutorService pool = Executors.newFixedThreadPool(LEARNERS.size() + 1);
        try {
            Future<?> sampler = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        seen.add(names(ksql, kafka).without(before));
                        Thread.sleep(SAMPLE_EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // the next sample
                    }
                }
            });
            long started = System.nanoTime();
            List<Future<String>> learners = new ArrayList<>();
            for (String learner : LEARNERS) {
                learners.add(pool.submit(() -> grade(learner, ids, logins.getOrDefault(learner, Map.of()))));
            }
            String failed = "";
            for (Future<String> learner : learners) {
                failed += learner.get(DEADLINE.toMinutes() + 1, TimeUnit.MINUTES);
            }
            sampler.cancel(true);
            System.out.printf("    [room, ksqlDB] %d exercises for %d learners (%s) graded in %d s%n", ids.size(), LEARNERS.size(),
                    logins.isEmpty() ? "the stack's login" : "own logins, " + System.getProperty(ACLS_PROPERTY, "query-describe"),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            if (!logins.isEmpty() && System.getProperty(ACLS_PROPERTY, "").equals("prefix-only")) {
                // Without Describe on ksqlDB's query groups, a grading that waits for its queries says what to grant, at once.
                List<String> refused = List.of(failed.split("\n--- ")).stream().filter(f -> !f.isBlank()).toList();
                assertTrue(!refused.isEmpty() && refused.stream().allMatch(f -> f.contains("grant you Describe on the groups and topics")),
                        "Without the Describe grant, the gradings that wait for queries fail with what to grant:" + failed);
            } else {
                assertEquals("", failed, "Every ksqlDB solution passes for every learner");
            }
        } finally {
            pool.shutdownNow();
            kafka.close();
        }
        System.out.printf("    [room, ksqlDB] seen: %d streams and tables, %d queries, %d topics%n",
                seen.sources().size(), seen.queries().size(), seen.topics().size());
        for (String learner : LEARNERS) {
            String sql = sqlPrefix(learner);
            assertTrue(seen.sources().stream().anyMatch(s -> s.startsWith(sql)), learner + "'s streams and tables were seen: " + seen.sources());
            assertTrue(seen.queries().stream().anyMatch(q -> q.contains("_" + sql)), learner + "'s queries were seen: " + seen.queries());
            assertTrue(seen.topics().stream().anyMatch(t -> t.startsWith(learner + ".")), learner + "'s topics were seen: " + seen.topics());
        }
        assertEquals(Set.of(), seen.sources().stream().filter(s -> LEARNERS.stream().noneMatch(l -> s.startsWith(sqlPrefix(l))))
                .collect(Collectors.toSet()), "Every stream and table carries its learner's prefix");
        assertEquals(Set.of(), seen.queries().stream().filter(q -> LEARNERS.stream().noneMatch(l -> q.contains("_" + sqlPrefix(l))))
                .collect(Collectors.toSet()), "Every query carries its learner's prefix");
        assertEquals(Set.of(), seen.topics().stream().filter(t -> LEARNERS.stream().noneMatch(l -> t.startsWith(l + ".")
                        || t.startsWith("_confluent-ksql-") && t.contains("_" + sqlPrefix(l))))
                .collect(Collectors.toSet()), "Every topic carries its learner's prefix (ksqlDB's internal ones their query's)");
    }

    /**
     * One learner's JVM grades the solutions one after the other, as a watch session does; the
     * failures' reports, or "". A grading that ended on the machine's slowness (the stack did not
     * answer in time: a StackException, not a check) is graded once more, as a learner would.
     */
    private static String grade(String learner, List<String> ids, Map<String, String> login) throws Exception {
        Path workshop = Cli.copyOfWorkshop();
        List<RoomBenchLearner.Graded> results = new ArrayList<>(gradeInOneJvm(workshop, learner, ids, login));
        List<String> tooBusy = results.stream().filter(r -> r.exitCode() != 0 && r.output().contains("workshop.stack.StackException"))
                .map(RoomBenchLearner.Graded::id).toList();
        if (!tooBusy.isEmpty()) {
            System.out.printf("    [room, ksqlDB] %s: the stack did not answer in time for %s; grading again%n", learner, tooBusy);
            results.removeIf(r -> tooBusy.contains(r.id()));
            results.addAll(gradeInOneJvm(workshop, learner, tooBusy, login));
        }
        StringBuilder failed = new StringBuilder();
        for (RoomBenchLearner.Graded result : results) {
            System.out.printf("    [room, ksqlDB] %s graded %s: exit %d in %d s%n", learner, result.id(), result.exitCode(), result.millis() / 1000);
            if (result.exitCode() != 0) {
                failed.append("\n--- ").append(learner).append(' ').append(result.id()).append(":\n").append(result.output());
            }
        }
        if (results.size() != ids.size()) {
            failed.append("\n--- ").append(learner).append(": graded ").append(results.size()).append(" of ").append(ids);
        }
        return failed.toString();
    }

    private static List<RoomBenchLearner.Graded> gradeInOneJvm(Path workshop, String learner, List<String> ids,
                                                               Map<String, String> login) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WORKSHOP_LEARNER", learner, "WORKSHOP_STACK", "external",
                "BOOTSTRAP_SERVERS", Stacks.shared().endpoints().bootstrapServers()));
        env.putAll(login); // environment variables win over the stack's client properties file
        Process process = RoomBenchLearner.builder(workshop, env, ids).start();
        try {
            return RoomBenchLearner.read(process);
        } finally {
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /**
     * When the stack's Kafka login is a SCRAM one (the instructor's), what an instructor does for
     * each learner: a SCRAM login, the learner's prefixed ACLs, Describe on ksqlDB's query groups
     * and topics, and the ksqlDB server's access to the learner's topics. Returns each learner's
     * login as environment variables; none with {@value #ACLS_PROPERTY}{@code =off} or another login.
     */
    private static Map<String, Map<String, String>> logins(Broker kafka, KsqlDb ksql) throws Exception {
        Map<String, String> instructor = Stacks.shared().endpoints().kafkaClient();
        String mechanism = instructor.getOrDefault("sasl.mechanism", "");
        String acls = System.getProperty(ACLS_PROPERTY, "query-describe");
        if (!mechanism.startsWith("SCRAM-") || acls.equals("off")) {
            return Map.of();
        }
        String queries = "_confluent-ksql-" + ksql.info().path("KsqlServerInfo").path("ksqlServiceId").asText() + "query_";
        String ksqlDb = System.getProperty(KSQLDB_PRINCIPAL_PROPERTY, "User:ksql");
        Admin admin = kafka.admin();
        Map<String, Map<String, String>> logins = new java.util.HashMap<>();
        for (String learner : LEARNERS) {
            String password = learner + "-secret";
            ScramBroker.upsertLogin(admin, ScramMechanism.fromMechanismName(mechanism), learner, password);
            List<AclBinding> bindings = new ArrayList<>(ScramBroker.learnerAcls(learner));
            bindings.add(ScramBroker.allowPrefixed(ksqlDb, ResourceType.TOPIC, learner + workshop.room.Learner.SEPARATOR, AclOperation.ALL));
            List<AclBinding> describe = List.of(ScramBroker.allowPrefixed("User:" + learner, ResourceType.GROUP, queries, AclOperation.DESCRIBE),
                    ScramBroker.allowPrefixed("User:" + learner, ResourceType.TOPIC, queries, AclOperation.DESCRIBE));
            if (acls.equals("query-describe")) {
                bindings.addAll(describe);
            } else { // taken away, if an earlier run on this broker granted it
                admin.deleteAcls(describe.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            logins.put(learner, Map.of("KAFKA_SASL_MECHANISM", mechanism,
                    "KAFKA_SASL_JAAS_CONFIG", ScramBroker.jaas(learner, password)));
        }
        return logins;
    }

    private static String sqlPrefix(String learner) {
        return learner.replace('-', '_').toUpperCase(Locale.ROOT) + "_";
    }

    /** The names on the server and the broker at one moment. */
    private record Names(Set<String> sources, Set<String> queries, Set<String> topics) {

        Names without(Names other) {
            return new Names(minus(sources, other.sources), minus(queries, other.queries), minus(topics, other.topics));
        }

        void add(Names other) {
            sources.addAll(other.sources);
            queries.addAll(other.queries);
            topics.addAll(other.topics);
        }

        private static Set<String> minus(Set<String> a, Set<String> b) {
            return a.stream().filter(x -> !b.contains(x)).collect(Collectors.toSet());
        }
    }

    private static Names names(KsqlDb ksql, Broker kafka) throws Exception {
        Set<String> sources = new java.util.HashSet<>();
        for (String kind : List.of("streams", "tables")) {
            for (JsonNode source : ksql.execute("SHOW " + kind + ";", Map.of()).path(0).path(kind)) {
                sources.add(source.path("name").asText());
            }
        }
        Set<String> queries = new java.util.HashSet<>();
        for (JsonNode query : ksql.execute("SHOW QUERIES;", Map.of()).path(0).path("queries")) {
            queries.add(query.path("id").asText());
        }
        Set<String> topics = kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS);
        return new Names(sources, queries, new java.util.HashSet<>(topics));
    }
}
