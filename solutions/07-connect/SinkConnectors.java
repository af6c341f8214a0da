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
 * Module 7, exercise connect2: sink connectors, from Kafka to a file and to a database table.
 *
 * Creates three connectors through Kafka Connect's REST API:
 *  - FILE_SINK_NAME, the simplest sink: every rating of RATINGS_TOPIC appended to the file FILE,
 *    one line each, as it is;
 *  - SOURCE_NAME, given: Debezium captures public.customers to TOPIC_PREFIX.public.customers,
 *    change events whose JSON carries its schema;
 *  - TABLE_SINK_NAME: Debezium's JDBC sink writes those changes into the table TABLE, which it
 *    creates, one row per customer, kept up to date: a copy of customers, through Kafka.
 * Then it waits until every connector and task runs, and prints their state.
 *
 * FILE is a path on the machine where Connect runs (inside its container, with docker compose:
 * docker exec connect cat /tmp/ratings.jsonl). Connect reaches the database at DATABASE_HOST and
 * DATABASE_PORT (by default those of POSTGRES_URL; with docker compose: postgres and 5432).
 *
 *   Run it:    ./jbang connect2
 *   Check it:  ./jbang workshop check connect2
 */
public class SinkConnectors {

    // Room mode (docs/instructor-guide.adoc): the learner's prefix for names (WORKSHOP_LEARNER=alice: connectors alice.ratings-to-file, ...).
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String CONNECT_URL = env("CONNECT_URL", "http://localhost:8083");
    static final String RATINGS_TOPIC = env("RATINGS_TOPIC", PREFIX + "ratings");
    static final String FILE = env("FILE", "/tmp/ratings.jsonl");
    static final String FILE_SINK_NAME = env("FILE_SINK_NAME", PREFIX + "ratings-to-file");
    static final String SOURCE_NAME = env("SOURCE_NAME", PREFIX + "customers-with-schemas");
    static final String TOPIC_PREFIX = env("TOPIC_PREFIX", PREFIX + "copy");
    static final String TABLE = env("TABLE", PREFIX.replace('.', '_') + "customers_copy");   // a dot would name a schema
    static final String TABLE_SINK_NAME = env("TABLE_SINK_NAME", PREFIX + "customers-to-table");
    static final URI POSTGRES = URI.create(env("POSTGRES_URL", "jdbc:postgresql://localhost:15432/workshop").substring("jdbc:".length()));
    static final String DATABASE_HOST = env("DATABASE_HOST", POSTGRES.getHost());
    static final String DATABASE_PORT = env("DATABASE_PORT", String.valueOf(POSTGRES.getPort()));
    static final String DATABASE_NAME = POSTGRES.getPath().substring(1);
    /** The database's JDBC URL as Connect reaches it. */
    static final String DATABASE_URL = "jdbc:postgresql://" + DATABASE_HOST + ":" + DATABASE_PORT + "/" + DATABASE_NAME;
    static final String POSTGRES_USER = env("POSTGRES_USER", "workshop");
    static final String POSTGRES_PASSWORD = env("POSTGRES_PASSWORD", "workshop");
    static final Duration WAIT = Duration.ofSeconds(Long.parseLong(env("WAIT_SECONDS", "30")));

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Every rating of RATINGS_TOPIC, one line each in FILE, exactly as it is in the topic. */
    static Map<String, String> fileSinkConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        config.put("topics", RATINGS_TOPIC);
        config.put("file", FILE);
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return config;
    }

    /**
     * Given: the customers' changes, as Debezium's change events (no transforms), with their
     * schema in every record: JsonConverter with schemas.enable=true, for keys and values.
     */
    static Map<String, String> sourceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("database.hostname", DATABASE_HOST);
        config.put("database.port", DATABASE_PORT);
        config.put("database.dbname", DATABASE_NAME);
        config.put("database.user", POSTGRES_USER);
        config.put("database.password", POSTGRES_PASSWORD);
        config.put("topic.prefix", TOPIC_PREFIX);
        config.put("table.include.list", "public.customers");
        config.put("plugin.name", "pgoutput");
        String slot = SOURCE_NAME.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        config.put("slot.name", slot);
        config.put("publication.name", slot);
        config.put("publication.autocreate.mode", "filtered");
        // A converter set here replaces the worker's for this connector only; its own settings
        // (schemas.enable) count only when the converter itself is set here too.
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "true");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        return config;
    }

    /** The customers' changes into the table TABLE: created from the records' schema, one row per customer id. */
    static Map<String, String> tableSinkConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("topics", TOPIC_PREFIX + ".public.customers");
        config.put("connection.url", DATABASE_URL);
        config.put("connection.username", POSTGRES_USER);
        config.put("connection.password", POSTGRES_PASSWORD);
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "true");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("collection.name.format", TABLE);
        config.put("schema.evolution", "basic");
        config.put("primary.key.mode", "record_key");
        config.put("insert.mode", "upsert");
        config.put("delete.enabled", "true");
        return config;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put(FILE_SINK_NAME, fileSinkConfig());
        connectors.put(SOURCE_NAME, sourceConfig());
        connectors.put(TABLE_SINK_NAME, tableSinkConfig());
        for (var connector : connectors.entrySet()) {
            if (connector.getValue().isEmpty()) {
                System.out.println(connector.getKey() + ": no configuration yet, skipped");
                continue;
            }
            // Creates the connector, or updates it if it exists already.
            send("PUT", "/connectors/" + connector.getKey() + "/config", JSON.writeValueAsString(connector.getValue()));
        }
        for (var connector : connectors.entrySet()) {
            if (!connector.getValue().isEmpty()) {
                awaitRunning(connector.getKey());
            }
        }
    }

    /**
     * Waits until the connector and all of its tasks are RUNNING, and prints their state. Stops
     * the program when one FAILED (with the reason), or after WAIT_SECONDS.
     */
    static void awaitRunning(String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(request("GET", "/connectors/" + name + "/status", null).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                JsonNode status = JSON.readTree(answer.body());
                String connector = status.path("connector").path("state").asText();
                boolean running = connector.equals("RUNNING") && !status.path("tasks").isEmpty();
                StringBuilder line = new StringBuilder(name + "\tconnector " + connector);
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
                    return;
                }
                last = line.toString();
            }
            Thread.sleep(500);
        }
        fail("Not RUNNING after " + WAIT.toSeconds() + " s: " + (last.isEmpty() ? name : last));
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
