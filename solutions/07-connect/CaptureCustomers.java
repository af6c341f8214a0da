///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module 7, exercise connect1: capture the customers table with Debezium, without code.
 *
 * Creates (or updates) a Debezium PostgreSQL source connector through Kafka Connect's REST API.
 * Debezium reads the database's write-ahead log: every row of public.customers, then every
 * INSERT, UPDATE and DELETE, becomes an event on the topic TOPIC_PREFIX.public.customers. Three
 * single message transforms shape each event on its way to Kafka: the row's new state instead of
 * the change envelope (and a tombstone for a DELETE), the customer id as the key, the email address
 * masked. The program then waits until the connector and its task run, and prints their state.
 *
 * Connect reaches the database at DATABASE_HOST:DATABASE_PORT (by default the host and port of
 * POSTGRES_URL). When Connect runs in docker compose, it is DATABASE_HOST=postgres DATABASE_PORT=5432.
 *
 *   Run it:    ./jbang connect1
 *   Check it:  ./jbang workshop check connect1
 */
public class CaptureCustomers {

    // Room mode (docs/instructor-guide.adoc): the learner's prefix for names (WORKSHOP_LEARNER=alice: connector alice.customers-cdc, topics alice.workshop.*).
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String CONNECT_URL = env("CONNECT_URL", "http://localhost:8083");
    static final String CONNECTOR_NAME = env("CONNECTOR_NAME", PREFIX + "customers-cdc");
    static final String TOPIC_PREFIX = env("TOPIC_PREFIX", PREFIX + "workshop");
    static final URI POSTGRES = URI.create(env("POSTGRES_URL", "jdbc:postgresql://localhost:15432/workshop").substring("jdbc:".length()));
    static final String DATABASE_HOST = env("DATABASE_HOST", POSTGRES.getHost());
    static final String DATABASE_PORT = env("DATABASE_PORT", String.valueOf(POSTGRES.getPort()));
    static final String DATABASE_NAME = POSTGRES.getPath().substring(1);
    static final String POSTGRES_USER = env("POSTGRES_USER", "workshop");
    static final String POSTGRES_PASSWORD = env("POSTGRES_PASSWORD", "workshop");
    static final Duration WAIT = Duration.ofSeconds(Long.parseLong(env("WAIT_SECONDS", "30")));

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The connector's configuration: what to capture, where from, and how to shape each event. */
    static Map<String, String> connectorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("database.hostname", DATABASE_HOST);
        config.put("database.port", DATABASE_PORT);
        config.put("database.dbname", DATABASE_NAME);
        config.put("database.user", POSTGRES_USER);
        config.put("database.password", POSTGRES_PASSWORD);
        config.put("topic.prefix", TOPIC_PREFIX);                  // topic: <prefix>.<schema>.<table>
        config.put("table.include.list", "public.customers");
        config.put("plugin.name", "pgoutput");                     // PostgreSQL's own logical decoding
        // Each connector reads the log through a replication slot and a publication of its own.
        String slot = CONNECTOR_NAME.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        config.put("slot.name", slot);
        config.put("publication.name", slot);
        config.put("publication.autocreate.mode", "filtered");     // a publication for the included table only

        // A tombstone is a record with a key and no value: it tells compaction (and every reader
        // that builds a table) to forget the key. A transform that expects a row can skip
        // tombstones with this predicate.
        config.put("predicates", "isTombstone");
        config.put("predicates.isTombstone.type", "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone");

        config.put("transforms", "unwrap,key,mask");
        config.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        config.put("transforms.unwrap.delete.tombstone.handling.mode", "delete-to-tombstone");
        config.put("transforms.key.type", "org.apache.kafka.connect.transforms.ExtractField$Key");
        config.put("transforms.key.field", "id");
        config.put("transforms.mask.type", "org.apache.kafka.connect.transforms.MaskField$Value");
        config.put("transforms.mask.fields", "email");
        config.put("transforms.mask.replacement", "****");
        config.put("transforms.mask.predicate", "isTombstone");
        config.put("transforms.mask.negate", "true");              // mask every record that is not a tombstone
        return config;
    }

    public static void main(String[] args) throws Exception {
        String config = JSON.writeValueAsString(connectorConfig());
        send("PUT", "/connectors/" + CONNECTOR_NAME + "/config", config);

        awaitRunning();
    }

    /**
     * Waits until the connector and all of its tasks are RUNNING, and prints their state. Stops
     * the program when one FAILED (with the reason), or after WAIT_SECONDS.
     */
    static void awaitRunning() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long missingSince = System.nanoTime();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(request("GET", "/connectors/" + CONNECTOR_NAME + "/status", null).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404 && System.nanoTime() - missingSince > Duration.ofSeconds(5).toNanos()) {
                fail("Connect has no connector named " + CONNECTOR_NAME + ": PUT its configuration first.");
            }
            if (answer.statusCode() == 200) {
                JsonNode status = JSON.readTree(answer.body());
                String connector = status.path("connector").path("state").asText();
                boolean running = connector.equals("RUNNING") && !status.path("tasks").isEmpty();
                StringBuilder line = new StringBuilder(CONNECTOR_NAME + "\tconnector " + connector);
                for (JsonNode task : status.path("tasks")) {
                    line.append("\ttask ").append(task.path("id").asInt()).append(' ').append(task.path("state").asText());
                    running &= task.path("state").asText().equals("RUNNING");
                    if (task.path("state").asText().equals("FAILED")) {
                        fail(line + "\n" + cause(task.path("trace").asText()));
                    }
                }
                if (connector.equals("FAILED")) {
                    fail(line + "\n" + cause(status.path("connector").path("trace").asText()));
                }
                if (running) {
                    System.out.println(line);
                    System.out.println("Events go to the topic " + TOPIC_PREFIX + ".public.customers");
                    return;
                }
                last = line.toString();
            }
            Thread.sleep(500);
        }
        fail("Not RUNNING after " + WAIT.toSeconds() + " s: " + last);
    }

    /** Sends a request to Connect's REST API and returns the answer; stops the program on an error. */
    static String send(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(request(method, path, json).build(), HttpResponse.BodyHandlers.ofString());
        // 409: the workers are rebalancing (someone just created or deleted a connector): ask again a moment later.
        for (int attempt = 1; answer.statusCode() == 409 && attempt < 20; attempt++) {
            Thread.sleep(500);
            answer = HTTP.send(request(method, path, json).build(), HttpResponse.BodyHandlers.ofString());
        }
        System.out.println(method + " " + path + " -> HTTP " + answer.statusCode());
        if (answer.statusCode() >= 300) {
            fail("Connect said: " + JSON.readTree(answer.body()).path("message").asText(answer.body()));
        }
        return answer.body();
    }

    static HttpRequest.Builder request(String method, String path, String json) {
        return withLogin(HttpRequest.newBuilder(URI.create(CONNECT_URL + path)))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    /** The line of a stack trace that says why: its last "Caused by:". */
    static String cause(String trace) {
        String cause = trace.lines().findFirst().orElse("");
        for (String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line;
            }
        }
        return cause;
    }

    static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Room mode: Connect's login (CONNECT_BASIC_AUTH_USER_INFO=user:password), when the room's Connect asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("CONNECT_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
