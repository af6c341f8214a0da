package workshop.graders.connect;

import workshop.stack.MachinePace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import workshop.grading.Workbench;
import workshop.stack.Service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the graders of module 7 ask Kafka Connect through its REST API: a connector's status and
 * configuration, creating and deleting connectors, and where the worker reaches PostgreSQL.
 */
public final class ConnectWorker {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Where each worker (by URL) reaches the database, once found: see {@link #databaseAddress}. */
    private static final Map<String, DatabaseAddress> ADDRESSES = new ConcurrentHashMap<>();

    private final String url;
    private final String userInfo; // room mode: Connect's login, if it asks for one
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectWorker(Workbench bench) {
        this.url = bench.endpoints().address(Service.CONNECT);
        this.userInfo = bench.endpoints().userInfo(Service.CONNECT);
        if (url == null) {
            throw new IllegalStateException("Kafka Connect is not running: add connect to the module's services");
        }
    }

    /** One answer of the REST API: its status code and body (JSON, or empty). */
    record Answer(int code, String body) {
        boolean ok() {
            return code >= 200 && code < 300;
        }

        JsonNode json() {
            try {
                return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.nullNode();
            }
        }

        /** Connect's error message, e.g. for a 400 or a 404. */
        String message() {
            JsonNode message = json().path("message");
            return message.isTextual() ? message.asText() : body;
        }
    }

    Answer send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json");
        workshop.stack.HttpCredentials.authorize(request, userInfo);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 || response.statusCode() == 403) { // room mode: one line, not a failed check per call
                throw new workshop.stack.StackException(workshop.stack.HttpCredentials.refused(Service.CONNECT, url, response.statusCode(), userInfo));
            }
            return new Answer(response.statusCode(), response.body() == null ? "" : response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Kafka Connect at " + url + " did not answer " + method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Creates or updates a connector. */
    void put(String name, Map<String, String> config) {
        Answer answer;
        try {
            answer = send("PUT", "/connectors/" + encode(name) + "/config", JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!answer.ok()) {
            throw new IllegalStateException("Kafka Connect refused connector " + name + " (HTTP " + answer.code() + "): " + answer.message());
        }
    }

    /** The connector's status, or empty when Connect has no connector of that name. */
    Optional<Status> status(String name) {
        Answer answer = send("GET", "/connectors/" + encode(name) + "/status", null);
        if (answer.code() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new IllegalStateException("GET /connectors/" + name + "/status answered " + answer.code() + ": " + answer.message());
        }
        return Optional.of(Status.of(answer.json()));
    }

    /** The connector's configuration as Connect stores it, or empty when there is no such connector. */
    Optional<JsonNode> config(String name) {
        Answer answer = send("GET", "/connectors/" + encode(name) + "/config", null);
        return answer.ok() ? Optional.of(answer.json()) : Optional.empty();
    }

    /** Deletes the connector, if there is one, and waits (a few seconds at most) until Connect no longer lists it. */
    void delete(String name) {
        send("DELETE", "/connectors/" + encode(name), null);
        long deadline = System.nanoTime() + MachinePace.scale(Duration.ofSeconds(5)).toNanos();
        while (System.nanoTime() < deadline && send("GET", "/connectors/" + encode(name), null).code() != 404) {
            sleep(100);
        }
    }

    /** Waits until the connector has tasks and one of them FAILED, or the connector itself; empty if it never did. */
    Optional<Status> awaitFailure(String name, Duration within) {
        long deadline = System.nanoTime() + MachinePace.scale(within).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Status> status = status(name);
            if (status.isPresent() && status.get().failed()) {
                return status;
            }
            sleep(200);
        }
        return Optional.empty();
    }

    /**
     * Where this worker reaches PostgreSQL, as the exercises' DATABASE_HOST and DATABASE_PORT: the
     * host and port of POSTGRES_URL when the worker shares the grader's network (embedded stack),
     * else the docker-compose name {@code postgres:5432} (Connect in a container). Asked once per
     * worker, through Connect's own validation of a Debezium configuration, which connects.
     */
    public DatabaseAddress databaseAddress(String postgresJdbcUrl) {
        return ADDRESSES.computeIfAbsent(url, u -> {
            URI jdbc = URI.create(postgresJdbcUrl.substring("jdbc:".length()));
            DatabaseAddress asGiven = new DatabaseAddress(jdbc.getHost(), jdbc.getPort(), jdbc.getPath().substring(1));
            DatabaseAddress compose = new DatabaseAddress("postgres", 5432, asGiven.database());
            for (DatabaseAddress candidate : List.of(asGiven, compose)) {
                if (reachable(candidate)) {
                    return candidate;
                }
            }
            return asGiven;
        });
    }

    private boolean reachable(DatabaseAddress address) {
        ObjectNode config = JSON.createObjectNode()
                .put("name", "workshop-database-probe")
                .put("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .put("database.hostname", address.host())
                .put("database.port", String.valueOf(address.port()))
                .put("database.dbname", address.database())
                .put("database.user", workshop.stack.Endpoints.POSTGRES_USER)
                .put("database.password", workshop.stack.Endpoints.POSTGRES_PASSWORD)
                .put("topic.prefix", "workshop-database-probe")
                .put("plugin.name", "pgoutput");
        Answer answer = send("PUT", "/connector-plugins/io.debezium.connector.postgresql.PostgresConnector/config/validate", config.toString());
        if (!answer.ok()) {
            return false;
        }
        for (JsonNode entry : answer.json().path("configs")) {
            if (entry.path("value").path("name").asText().equals("database.hostname") && !entry.path("value").path("errors").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Where the Connect worker reaches the database. */
    public record DatabaseAddress(String host, int port, String database) {
        /** The exercises' environment variables for it. */
        public Map<String, String> environment() {
            return Map.of("DATABASE_HOST", host, "DATABASE_PORT", String.valueOf(port));
        }

        String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** A connector's state and its tasks' states, with the reasons of failures. */
    record Status(String state, String trace, List<Task> tasks) {

        record Task(int id, String state, String trace) {
        }

        static Status of(JsonNode json) {
            List<Task> tasks = new ArrayList<>();
            for (JsonNode task : json.path("tasks")) {
                tasks.add(new Task(task.path("id").asInt(), task.path("state").asText(), task.path("trace").asText("")));
            }
            JsonNode connector = json.path("connector");
            return new Status(connector.path("state").asText(), connector.path("trace").asText(""), tasks);
        }

        boolean running() {
            return state.equals("RUNNING") && !tasks.isEmpty() && tasks.stream().allMatch(t -> t.state().equals("RUNNING"));
        }

        boolean failed() {
            return state.equals("FAILED") || tasks.stream().anyMatch(t -> t.state().equals("FAILED"));
        }

        /** "connector RUNNING, task 0 FAILED" */
        String describe() {
            StringBuilder text = new StringBuilder("connector " + state);
            if (tasks.isEmpty()) {
                text.append(", no task");
            }
            for (Task task : tasks) {
                text.append(", task ").append(task.id()).append(' ').append(task.state());
            }
            return text.toString();
        }

        /** Every trace, the connector's first. */
        String traces() {
            StringBuilder all = new StringBuilder(trace);
            tasks.forEach(t -> all.append('\n').append(t.trace()));
            return all.toString();
        }

        /** The reason of the first failure: the last "Caused by" line of its trace; empty when nothing failed. */
        String cause() {
            if (!trace.isBlank()) {
                return rootCause(trace);
            }
            return tasks.stream().map(Task::trace).filter(t -> !t.isBlank()).findFirst().map(ConnectWorker::rootCause).orElse("");
        }
    }

    /** The line of a Java stack trace that says why: its last "Caused by:", or its first line. */
    static String rootCause(String trace) {
        String cause = trace.lines().findFirst().orElse("");
        for (String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
