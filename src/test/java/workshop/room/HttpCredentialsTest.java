package workshop.room;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import workshop.WorkshopRoot;
import workshop.graders.capstone.ConnectRest;
import workshop.graders.ksqldb.KsqlDb;
import workshop.grading.ExerciseClasspath;
import workshop.grading.ExerciseCompiler;
import workshop.grading.ExerciseSource;
import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.external.ExternalStack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room mode: the logins of a room's HTTP services (stack.properties' connect.basic.auth.user.info
 * and its kin) reach the wire. A real HTTP server stands in for Connect and ksqlDB and records the
 * Authorization header of every request it gets from the graders' clients and from an exercise.
 */
class HttpCredentialsTest {

    private static final String ALICE = "alice:alice-secret";
    private static final String ALICE_HEADER = "Basic YWxpY2U6YWxpY2Utc2VjcmV0"; // base64 of alice:alice-secret

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>(); // "METHOD path -> Authorization"
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " -> " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8); // Connect: no connectors; ksqlDB /info: an empty answer
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Endpoints roomStack(Path root) throws IOException {
        Files.writeString(root.resolve(ExternalStack.PROPERTIES_FILE), String.join("\n",
                "bootstrap.servers=localhost:1",
                "connect.url=" + url,
                "connect.basic.auth.user.info=" + ALICE,
                "ksqldb.url=" + url,
                "ksqldb.basic.auth.user.info=" + ALICE,
                ""));
        return ExternalStack.configured(root, Map.of()).orElseThrow().endpoints();
    }

    @Test
    void theSettingsCarryTheLoginsAndHandThemToExercisesButNeverPrintThem(@TempDir Path root) throws IOException {
        Endpoints endpoints = roomStack(root);
        assertEquals(ALICE, endpoints.userInfo(Service.CONNECT));
        assertNull(endpoints.userInfo(Service.SCHEMA_REGISTRY));
        assertEquals(ALICE, endpoints.environment().get("CONNECT_BASIC_AUTH_USER_INFO"));
        assertEquals(ALICE, endpoints.environment().get("KSQLDB_BASIC_AUTH_USER_INFO"));
        assertFalse(endpoints.toString().contains("secret"), endpoints.toString());
        assertEquals(ALICE_HEADER, HttpCredentials.basic(ALICE));
    }

    @Test
    void theEnvironmentWinsAndAUserWithoutPasswordIsOneClearLine(@TempDir Path root) throws IOException {
        roomStack(root);
        Endpoints endpoints = ExternalStack.configured(root, Map.of("CONNECT_BASIC_AUTH_USER_INFO", "bob:bob-secret")).orElseThrow().endpoints();
        assertEquals("bob:bob-secret", endpoints.userInfo(Service.CONNECT));
        StackException refused = assertThrows(StackException.class,
                () -> ExternalStack.configured(root, Map.of("CONNECT_BASIC_AUTH_USER_INFO", "bob")));
        assertTrue(refused.getMessage().contains("user:password"), refused.getMessage());
    }

    @Test
    void theGradersConnectAndKsqlDbClientsSendTheLogin(@TempDir Path root) throws Exception {
        Endpoints endpoints = roomStack(root);
        new ConnectRest(endpoints).delete("alice.customers");
        new KsqlDb(endpoints.address(Service.KSQLDB), endpoints.userInfo(Service.KSQLDB)).info();
        assertEquals(List.of("DELETE /connectors/alice.customers -> " + ALICE_HEADER, "GET /info -> " + ALICE_HEADER), seen);
    }

    @Test
    void withoutLoginsNoHeaderIsSent(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(ExternalStack.PROPERTIES_FILE), "bootstrap.servers=localhost:1\nconnect.url=" + url + "\n");
        Endpoints endpoints = ExternalStack.configured(root, Map.of()).orElseThrow().endpoints();
        assertFalse(endpoints.environment().containsKey("CONNECT_BASIC_AUTH_USER_INFO"));
        new ConnectRest(endpoints).delete("customers");
        assertEquals(List.of("DELETE /connectors/customers -> null"), seen);
    }

    /** The connect3 solution, run as the runner runs it, against the stand-in Connect: every call carries the login. */
    @Test
    void aConnectExerciseSendsTheLoginItIsHanded(@TempDir Path root) throws Exception {
        Endpoints endpoints = roomStack(root);
        String output = run("solutions/07-connect/RestartFailedTasks.java", endpoints.environment(), root, 0);
        assertTrue(output.contains("Nothing failed"), output);
        assertEquals(List.of("GET /connectors?expand=status -> " + ALICE_HEADER), seen);
    }

    /** The schemas3 solution asks the stand-in registry (whose "{}" it cannot use: exit 2), with the login. */
    @Test
    void aRegistryExerciseSendsTheLoginItIsHanded(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(ExternalStack.PROPERTIES_FILE), String.join("\n",
                "bootstrap.servers=localhost:1",
                "schema.registry.url=" + url,
                "schema.registry.basic.auth.user.info=" + ALICE, ""));
        Endpoints endpoints = ExternalStack.configured(root, Map.of()).orElseThrow().endpoints();
        Map<String, String> environment = new java.util.HashMap<>(endpoints.environment());
        environment.put("SCHEMA_FILE", Files.writeString(root.resolve("rating.avsc"),
                "{\"type\": \"record\", \"name\": \"Rating\", \"fields\": [{\"name\": \"stars\", \"type\": \"int\"}]}").toString());
        run("solutions/08-schemas/CheckCompatibility.java", environment, root, 2);
        assertEquals(List.of("POST /compatibility/subjects/alice.ratings-avro-value/versions/latest?verbose=true -> " + ALICE_HEADER), seen);
    }

    /** Compiles and runs a program of the workshop as the runner does, for learner alice; returns what it printed. */
    private static String run(String program, Map<String, String> environment, Path root, int exitCode) throws Exception {
        ExerciseSource source = ExerciseSource.read(WorkshopRoot.find().resolve(program));
        Path classes = ExerciseCompiler.compile(source);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + java.io.File.pathSeparator + ExerciseClasspath.asString(), source.mainClass())
                .redirectErrorStream(true).redirectOutput(root.resolve("out.txt").toFile());
        builder.environment().putAll(environment);
        builder.environment().put("WORKSHOP_LEARNER", "alice");
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the program ended");
        String output = Files.readString(root.resolve("out.txt"));
        assertEquals(exitCode, process.exitValue(), output);
        return output;
    }
}
