package workshop.room;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import workshop.WorkshopRoot;
import workshop.stack.Progress;
import workshop.stack.embedded.EmbeddedConnect;
import workshop.stack.embedded.EmbeddedPostgres;
import workshop.stack.embedded.EmbeddedSchemaRegistry;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The rest of a room's stack around a {@link ScramBrokerMain} broker, for grading the ksqlDB
 * capstone (capstone-sql2) by hand under ACLs: the logins and ACLs of a Connect worker
 * ({@code connect}) and of a ksqlDB server ({@code ksql}, service id {@value #KSQL_SERVICE_ID}) as
 * the instructor guide grants them, then PostgreSQL, the schema registry and the Connect worker
 * (logged in as {@code connect}). Prints the stack's addresses as environment variables and writes
 * them to {@code FOLDER/room.env}, with the ksqlDB server's login to {@code FOLDER/ksql-login.properties};
 * the ksqlDB server itself is started by hand on those files. Runs until it is killed.
 */
public final class RoomServicesMain {

    static final String CONNECT_USER = "connect";
    static final String CONNECT_PASSWORD = "connect-secret";
    static final String KSQL_USER = "ksql";
    static final String KSQL_PASSWORD = "ksql-secret";
    /** ksql.service.id of the server: its command topic, internal topics and groups start with _confluent-ksql- and it. */
    static final String KSQL_SERVICE_ID = "room_";

    private RoomServicesMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("Usage: RoomServicesMain FOLDER BOOTSTRAP_SERVERS LEARNER... "
                    + "(FOLDER holds ScramBrokerMain's admin.properties; the learners whose prefixes Connect may use)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        String bootstrap = args[1];
        List<String> learners = List.of(args).subList(2, args.length);
        Properties adminLogin = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("admin.properties"))) {
            adminLogin.load(in);
        }
        Map<String, Object> adminSettings = new HashMap<>();
        adminLogin.forEach((k, v) -> adminSettings.put((String) k, v));
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminSettings)) {
            ScramBroker.upsertLogin(admin, ScramMechanism.SCRAM_SHA_256, CONNECT_USER, CONNECT_PASSWORD);
            admin.createAcls(ScramBroker.connectWorkerAcls(CONNECT_USER, EmbeddedConnect.GROUP, EmbeddedConnect.INTERNAL_TOPIC_PREFIX, learners))
                    .all().get(30, TimeUnit.SECONDS);
            ScramBroker.upsertLogin(admin, ScramMechanism.SCRAM_SHA_256, KSQL_USER, KSQL_PASSWORD);
            admin.createAcls(ksqlServerAcls()).all().get(30, TimeUnit.SECONDS);
        }
        Properties ksqlLogin = new Properties();
        ksqlLogin.putAll(ScramBroker.clientSettings(KSQL_USER, KSQL_PASSWORD));
        try (var out = Files.newBufferedWriter(dir.resolve("ksql-login.properties"))) {
            ksqlLogin.store(out, "the ksqlDB server's login (append to ksql-server.properties; service id " + KSQL_SERVICE_ID + ")");
        }

        List<AutoCloseable> services = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = services.size() - 1; i >= 0; i--) {
                try {
                    services.get(i).close();
                } catch (Exception e) {
                    // the others still close
                }
            }
        }));
        Path root = WorkshopRoot.find();
        Path tools = WorkshopRoot.stateDir(root).resolve("tools");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(0, dir.resolve("postgres"),
                root.resolve("docker/postgres/init/01-customers.sql"), tools, Progress.silent());
        services.add(postgres);
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0, dir.resolve("schema-registry"), tools, Progress.silent());
        services.add(registry);
        EmbeddedConnect connect = EmbeddedConnect.start(bootstrap, ScramBroker.freePort(), ScramBroker.clientSettings(CONNECT_USER, CONNECT_PASSWORD));
        services.add(connect);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("BOOTSTRAP_SERVERS", bootstrap);
        env.put("CONNECT_URL", connect.url());
        env.put("POSTGRES_URL", postgres.jdbcUrl());
        env.put("SCHEMA_REGISTRY_URL", registry.confluentApiUrl());
        StringBuilder lines = new StringBuilder();
        env.forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("room.env"), lines);
        System.out.print(lines);
        System.out.println("ksqlDB server login: " + dir.resolve("ksql-login.properties"));
        Thread.currentThread().join(); // until killed: the hook stops Connect, the registry and PostgreSQL
    }

    /**
     * A ksqlDB server's own ACLs, as the instructor guide grants them: DescribeConfigs on the
     * cluster, All on its command topic, internal topics and groups, its transactional id. Each
     * learner's topic prefix is granted with the learner (KsqlRoomModeTest).
     */
    static List<AclBinding> ksqlServerAcls() {
        String principal = "User:" + KSQL_USER;
        String internal = "_confluent-ksql-" + KSQL_SERVICE_ID;
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), AclOperation.DESCRIBE_CONFIGS));
        acls.add(ScramBroker.allowPrefixed(principal, ResourceType.TOPIC, internal, AclOperation.ALL));
        acls.add(ScramBroker.allowPrefixed(principal, ResourceType.GROUP, internal, AclOperation.ALL));
        for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, KSQL_SERVICE_ID, PatternType.LITERAL), operation));
        }
        return acls;
    }

    private static AclBinding allow(String principal, ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
