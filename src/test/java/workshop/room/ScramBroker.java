package workshop.room;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import workshop.grading.ExerciseClasspath;
import workshop.stack.KafkaClientSettings;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A secured broker as a room's cluster would be: one KRaft node in a JVM of its own, clients
 * authenticate with SASL/SCRAM-SHA-256, and an authorizer lets each learner touch only names
 * with their own prefix. The instructor is {@code admin} (a super user).
 */
public final class ScramBroker implements AutoCloseable {

    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final Process process;
    private final String bootstrapServers;
    private final Path dir;

    private ScramBroker(Process process, String bootstrapServers, Path dir) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
    }

    /** Formats (with the admin's SCRAM credentials) and starts the broker, and waits until the admin can use it. */
    public static ScramBroker start(Path dir) throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Path properties = dir.resolve("server.properties");
        Files.createDirectories(dir);
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://localhost:" + port,
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=" + jaas(ADMIN, ADMIN_PASSWORD),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // The broker's own link to its controller is the plaintext CONTROLLER listener (ANONYMOUS).
                "super.users=User:" + ADMIN + ";User:ANONYMOUS",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=3",
                "group.initial.rebalance.delay.ms=0",
                "") );
        Path log = dir.resolve("broker.log");
        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(),
                "--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + ADMIN_PASSWORD + "]"), log);
        Process broker = new ProcessBuilder(java(List.of("kafka.Kafka", properties.toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy)); // a killed test run leaves no broker behind
        ScramBroker started = new ScramBroker(broker, "localhost:" + port, dir);
        try {
            started.awaitReady(ADMIN, ADMIN_PASSWORD);
        } catch (Exception | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    /** A SCRAM login, as sasl.jaas.config writes it. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** What a client of this user adds to its configuration. */
    public static Map<String, String> clientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaas(user, password));
    }

    public Admin admin() {
        return admin(ADMIN, ADMIN_PASSWORD);
    }

    public Admin admin(String user, String password) {
        return Admin.create(KafkaClientSettings.with(clientSettings(user, password), Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)));
    }

    /**
     * What an instructor does for each learner: a SCRAM login, and ACLs on the learner's prefix
     * (topics, groups, transactional ids), plus writing to the progress topic.
     */
    public void addLearner(String name, String password) throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password))).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = learnerAcls(name);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        awaitReady(name, password);
    }

    /** The ACLs of one learner: everything on their own prefix, writing to the progress topic; nothing else. */
    public static List<AclBinding> learnerAcls(String name) {
        String principal = "User:" + name;
        String prefix = name + workshop.room.Learner.SEPARATOR;
        List<AclBinding> acls = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                    new AccessControlEntry(principal, "*", AclOperation.ALL, AclPermissionType.ALLOW)));
        }
        acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, RoomSettings.PROGRESS_TOPIC, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW)));
        return acls;
    }

    public int aclCount() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size();
        }
    }

    /** Until this user's Admin gets an answer: the broker is up and knows the user's credentials. */
    private void awaitReady(String user, String password) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The SCRAM broker ended (exit " + process.exitValue() + "); see " + dir.resolve("broker.log"));
            }
            try (Admin admin = admin(user, password)) {
                admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("The SCRAM broker did not let " + user + " in within " + READY_WITHIN.toSeconds() + " s; see "
                + dir.resolve("broker.log"), last);
    }

    private static void run(List<String> mainAndArgs, Path log) throws Exception {
        Process process = new ProcessBuilder(java(mainAndArgs)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("Formatting the SCRAM broker's storage failed; see " + log);
        }
    }

    private static List<String> java(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", ExerciseClasspath.asString()));
        command.addAll(mainAndArgs);
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
