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
import workshop.stack.embedded.EmbeddedKafka;
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
 * with their own prefix. The instructor is {@code admin} (a super user). Over plaintext
 * ({@link #start}) or TLS ({@link #startWithTls}: SASL_SSL, with a certificate for localhost that
 * the JDK's keytool makes, and a truststore the clients name).
 */
public final class ScramBroker implements AutoCloseable {

    public static final String MECHANISM = "SCRAM-SHA-256";
    /** The secured listener of {@link #startCluster}. */
    private static final String CLUSTER_LISTENER = "ROOM";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    /** The password of the test's keystore and truststore (the files live in the broker's temporary folder). */
    private static final String STORE_PASSWORD = "scram-broker-store";

    /** The broker's JVM; null for a cluster in this JVM ({@link #startCluster}). */
    private final Process process;
    /** The in-JVM cluster; null for a broker in a JVM of its own. */
    private final EmbeddedKafka cluster;
    private final String bootstrapServers;
    private final Path dir;
    /** What TLS adds to a client's settings (the truststore); empty over plaintext. */
    private final Map<String, String> tlsClient;

    private ScramBroker(Process process, EmbeddedKafka cluster, String bootstrapServers, Path dir, Map<String, String> tlsClient) {
        this.process = process;
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.tlsClient = tlsClient;
    }

    /** Formats (with the admin's SCRAM credentials) and starts the broker over SASL_PLAINTEXT, and waits until the admin can use it. */
    public static ScramBroker start(Path dir) throws Exception {
        return start(dir, false);
    }

    /** The same over SASL_SSL: TLS with a fresh self-signed certificate for localhost. */
    public static ScramBroker startWithTls(Path dir) throws Exception {
        return start(dir, true);
    }

    private static ScramBroker start(Path dir, boolean tls) throws Exception {
        String protocol = tls ? "SASL_SSL" : "SASL_PLAINTEXT";
        Map<String, String> tlsClient = tls ? certificates(dir) : Map.of();
        int port = freePort();
        int controllerPort = freePort();
        Path properties = dir.resolve("server.properties");
        Files.createDirectories(dir);
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controllerPort,
                "listeners=" + protocol + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=" + protocol + "://localhost:" + port,
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + protocol + ":" + protocol,
                "inter.broker.listener.name=" + protocol,
                "controller.listener.names=CONTROLLER",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                "listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-256.sasl.jaas.config=" + jaas(ADMIN, ADMIN_PASSWORD),
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
                tls ? String.join("\n",
                        "ssl.keystore.location=" + dir.resolve("broker.p12"),
                        "ssl.keystore.type=PKCS12",
                        "ssl.keystore.password=" + STORE_PASSWORD,
                        "ssl.key.password=" + STORE_PASSWORD,
                        "ssl.truststore.location=" + tlsClient.get("ssl.truststore.location"),
                        "ssl.truststore.type=PKCS12",
                        "ssl.truststore.password=" + STORE_PASSWORD) : "",
                "") );
        Path log = dir.resolve("broker.log");
        run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString(),
                "--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + ADMIN_PASSWORD + "]"), log);
        Process broker = new ProcessBuilder(java(List.of("kafka.Kafka", properties.toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy)); // a killed test run leaves no broker behind
        ScramBroker started = new ScramBroker(broker, null, "localhost:" + port, dir, tlsClient);
        try {
            started.awaitReady(ADMIN, ADMIN_PASSWORD);
        } catch (Exception | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * A secured cluster of several brokers, as a room's 3-broker cluster would be: the workshop's
     * embedded cluster (one controller and {@code brokers} brokers in this JVM) with one more
     * listener, SASL_PLAINTEXT with SCRAM and the same authorizer, admin and ACLs as
     * {@link #start}'s; {@link #bootstrapServers()} names that listener. The cluster's own
     * listeners stay plaintext on free ports, between its nodes.
     */
    public static ScramBroker startCluster(Path dir, int brokers) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(brokers, 0, dir, new EmbeddedKafka.Listener(CLUSTER_LISTENER, "SASL_PLAINTEXT", Map.of(
                "sasl.enabled.mechanisms", MECHANISM,
                // The listener's server side of SCRAM, in the broker's settings rather than the JVM's JAAS file.
                "listener.name." + CLUSTER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // The nodes and the test kit meet on the plaintext listeners (ANONYMOUS).
                "super.users", "User:" + ADMIN + ";User:ANONYMOUS",
                "allow.everyone.if.no.acl.found", "false")));
        ScramBroker started = new ScramBroker(null, kafka, kafka.bootstrapServers(CLUSTER_LISTENER), dir, Map.of());
        try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            upsertLogin(anonymous, ScramMechanism.SCRAM_SHA_256, ADMIN, ADMIN_PASSWORD);
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

    /** The broker's process: this JVM's for a cluster in it. */
    public long pid() {
        return process == null ? ProcessHandle.current().pid() : process.pid();
    }

    /** A SCRAM login, as sasl.jaas.config writes it. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** What a client of this user adds to its configuration, over plaintext. */
    public static Map<String, String> clientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaas(user, password));
    }

    /** What a client of this user adds to its configuration for this broker (over TLS: the protocol and the truststore too). */
    public Map<String, String> settings(String user, String password) {
        Map<String, String> settings = new java.util.TreeMap<>(clientSettings(user, password));
        settings.putAll(tlsClient);
        return settings;
    }

    /**
     * A key pair and self-signed certificate for localhost in broker.p12, and a truststore with the
     * certificate in truststore.p12, made with the JDK's keytool; returns what a client adds.
     */
    private static Map<String, String> certificates(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        Path truststore = dir.resolve("truststore.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD), dir);
        keytool(List.of(keytool, "-exportcert", "-alias", "broker", "-rfc", "-file", certificate.toString(),
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD), dir);
        keytool(List.of(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD), dir);
        return Map.of("security.protocol", "SASL_SSL",
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", STORE_PASSWORD);
    }

    private static void keytool(List<String> command, Path dir) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("keytool.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool failed; see " + dir.resolve("keytool.log"));
        }
    }

    public Admin admin() {
        return admin(ADMIN, ADMIN_PASSWORD);
    }

    public Admin admin(String user, String password) {
        return Admin.create(KafkaClientSettings.with(settings(user, password), Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)));
    }

    /**
     * What an instructor does for each learner: a SCRAM login, and ACLs on the learner's prefix
     * (topics, groups, transactional ids), plus writing to the progress topic.
     */
    public void addLearner(String name, String password) throws Exception {
        addUser(name, password, learnerAcls(name));
    }

    /** A SCRAM login with these ACLs; returns once the broker lets the user in. */
    public void addUser(String name, String password, List<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            upsertLogin(admin, ScramMechanism.SCRAM_SHA_256, name, password);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        awaitReady(name, password);
    }

    /**
     * The ACLs of a Kafka Connect worker that runs every learner's connectors under its own login:
     * its internal topics (prefix {@code internalTopics}) and its group; on each learner's prefix,
     * the topics its source connectors write (and create) and its sink connectors read, and its
     * sink connectors' groups ({@code connect-<connector name>}). Nothing else: no learner's
     * other groups, no transactional ids (no exactly-once source connectors).
     */
    public static List<AclBinding> connectWorkerAcls(String name, String group, String internalTopics, List<String> learners) {
        String principal = "User:" + name;
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, new ResourcePattern(ResourceType.TOPIC, internalTopics, PatternType.PREFIXED), AclOperation.ALL));
        acls.add(allow(principal, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), AclOperation.READ));
        for (String learner : learners) {
            String prefix = learner + workshop.room.Learner.SEPARATOR;
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE)) {
                acls.add(allow(principal, new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED), operation));
            }
            acls.add(allow(principal, new ResourcePattern(ResourceType.GROUP, CONNECT_GROUP_PREFIX + prefix, PatternType.PREFIXED), AclOperation.READ));
        }
        return acls;
    }

    private static AclBinding allow(String principal, ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** Allows {@code operation} on every resource of this type whose name starts with {@code prefix}. */
    public static AclBinding allowPrefixed(String principal, ResourceType type, String prefix, AclOperation operation) {
        return allow(principal, new ResourcePattern(type, prefix, PatternType.PREFIXED), operation);
    }

    /** Creates (or changes) a SCRAM login on any cluster this admin may alter. */
    public static void upsertLogin(Admin admin, ScramMechanism mechanism, String name, String password) throws Exception {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                new ScramCredentialInfo(mechanism, 4096), password))).all().get(30, TimeUnit.SECONDS);
    }

    /** What Kafka Connect puts before a sink connector's name to name its consumer group. */
    public static final String CONNECT_GROUP_PREFIX = "connect-";

    /**
     * The ACLs of one learner: everything on their own prefix, writing to the progress topic, and
     * looking at (and deleting) the groups of their sink connectors; nothing else.
     */
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
        // A shared Connect's sink connectors consume as groups connect-<connector name> (connect-alice....):
        // the graders read those groups' offsets and delete them when done. Not Read: a learner does not join them.
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.DELETE)) {
            acls.add(allow(principal, new ResourcePattern(ResourceType.GROUP, CONNECT_GROUP_PREFIX + prefix, PatternType.PREFIXED), operation));
        }
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
            if (process != null && !process.isAlive()) {
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
        return java(List.of("-Xmx768m"), mainAndArgs);
    }

    /**
     * A JVM of its own with these options, the test's classpath, quiet logs, a small heap's garbage
     * collector and C1 alone, as the test JVM runs (the four SCRAM brokers of a run used 45 CPU-s
     * with C2 compiling beside).
     */
    static List<String> java(List<String> options, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", ExerciseClasspath.asString()));
        command.addAll(mainAndArgs);
        return command;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("The cluster did not stop cleanly", e);
            }
            return;
        }
        workshop.JavaProcess.stop(process.toHandle(), Duration.ofSeconds(20));
    }
}
