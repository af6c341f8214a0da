package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import workshop.stack.HttpCredentials;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * ksqlDB's REST API, as the CLI uses it: {@code /ksql} runs a statement, {@code /query-stream}
 * runs a query and streams its rows (newline-delimited JSON: a header, then one array per row).
 */
public final class KsqlDb {

    /** A statement or query that ksqlDB refused, with ksqlDB's own message. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** What a query returned: its column names and the rows that arrived before it ended or was stopped. */
    public record Rows(List<String> columns, List<List<JsonNode>> rows) {

        /** The value of one column of a row, by name (any case). */
        public JsonNode value(List<JsonNode> row, String column) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equalsIgnoreCase(column)) {
                    return row.get(i);
                }
            }
            return null;
        }

        public boolean hasColumn(String column) {
            return columns.stream().anyMatch(c -> c.equalsIgnoreCase(column));
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELIMITED = "application/vnd.ksqlapi.delimited.v1";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String userInfo; // room mode: the server's login, if it asks for one
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private long commandSequence = -1;

    public KsqlDb(String url) {
        this(url, null);
    }

    /** @param userInfo {@code user:password} for a server that asks for a login (room mode), or null */
    public KsqlDb(String url, String userInfo) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.userInfo = userInfo;
    }

    public String url() {
        return base.toString();
    }

    /** Does the server answer its health check? */
    public static boolean healthy(String url) {
        try {
            KsqlDb server = new KsqlDb(url);
            HttpRequest request = HttpRequest.newBuilder(server.base.resolve("healthcheck")).timeout(Duration.ofSeconds(5)).GET().build();
            return server.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET /info: the server's version and Kafka cluster id. */
    public JsonNode info() throws IOException, InterruptedException {
        HttpRequest request = HttpCredentials.authorize(HttpRequest.newBuilder(base.resolve("info")), userInfo).timeout(REQUEST_TIMEOUT).GET().build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Runs one statement (CREATE, DROP, TERMINATE, SHOW, ...) with these properties and returns
     * ksqlDB's answer (an array of entities). Statements run in the order they are given.
     */
    public JsonNode execute(String statement, Map<String, Object> properties) throws Refused, IOException, InterruptedException {
        // One statement at a time per server from this JVM, and a retry when the server's own
        // command-topic producer was fenced by a statement that ran at the same time (from another
        // JVM: a learner's runner beside the test's, or two learners of a room): the server then
        // aborted the statement's transaction, so it was not run and is safe to send again.
        synchronized (LOCKS.computeIfAbsent(base, url -> new Object())) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return executeOnce(statement, properties);
                } catch (Refused e) {
                    if (attempt >= 8 || !fencedByAnother(e.getMessage())) {
                        throw e;
                    }
                    Thread.sleep(300L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextLong(300)); // apart from the other client
                }
            }
        }
    }

    /** ksqlDB's words when a concurrent statement fenced its command-topic producer (ProducerFencedException, or the error state it leaves). */
    static boolean fencedByAnother(String message) {
        // ksqlDB may wrap the cause's text: "... which fences\n\tthe current one."
        String text = String.valueOf(message).replaceAll("\\s+", " ");
        return text.contains("fences the current one") || text.contains("Cannot execute transactional method because we are in an error state");
    }

    private static final Map<URI, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private synchronized JsonNode executeOnce(String statement, Map<String, Object> properties) throws Refused, IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("ksql", statement.strip().endsWith(";") ? statement : statement + ";");
        body.set("streamsProperties", JSON.valueToTree(properties));
        if (commandSequence >= 0) {
            body.put("commandSequenceNumber", commandSequence); // see the effect of the statements before
        }
        HttpResponse<String> response = http.send(post("ksql", body, "application/vnd.ksql.v1+json"),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw new Refused(message(answer, response));
        }
        for (JsonNode entity : answer) {
            if (entity.has("commandSequenceNumber")) {
                commandSequence = Math.max(commandSequence, entity.get("commandSequenceNumber").asLong());
            }
            if ("ERROR".equals(entity.path("commandStatus").path("status").asText())) {
                throw new Refused(entity.path("commandStatus").path("message").asText());
            }
        }
        return answer;
    }

    /**
     * Runs a query and collects its rows: a pull query until it ends, a push query until
     * {@code enough} rows arrived or {@code wait} passed; then the query is closed.
     */
    public Rows query(String sql, Map<String, Object> properties, int enough, Duration wait) throws Refused, IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("sql", sql.strip().endsWith(";") ? sql : sql + ";");
        body.set("properties", JSON.valueToTree(properties));
        HttpResponse<InputStream> response = http.send(post("query-stream", body, DELIMITED), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        String end = "\u0000end";
        InputStream stream = response.body();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            } catch (IOException closed) {
                // the query was stopped: what arrived is in the queue
            } finally {
                lines.add(end);
            }
        }, "ksqldb-query-reader");
        reader.setDaemon(true);
        reader.start();
        List<String> columns = List.of();
        List<List<JsonNode>> rows = new ArrayList<>();
        String queryId = null;
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (rows.size() < enough) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null || line.equals(end)) {
                    break;
                }
                JsonNode node = parse(line);
                if (node.isArray()) {
                    List<JsonNode> row = new ArrayList<>();
                    node.forEach(row::add);
                    rows.add(row);
                } else if (node.has("columnNames")) {
                    List<String> names = new ArrayList<>();
                    node.get("columnNames").forEach(name -> names.add(name.asText()));
                    columns = names;
                    queryId = node.path("queryId").asText(null);
                } else if (response.statusCode() != 200 || node.has("message")) {
                    throw new Refused(message(node, null));
                }
            }
        } finally {
            stream.close();
            reader.interrupt();
            if (queryId != null && !queryId.isBlank()) {
                closeQuietly(queryId);
            }
        }
        return new Rows(columns, rows);
    }

    private void closeQuietly(String queryId) {
        try {
            http.send(post("close-query", JSON.createObjectNode().put("queryId", queryId), "application/json"),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // a pull query is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest post(String path, JsonNode body, String accept) {
        return HttpCredentials.authorize(HttpRequest.newBuilder(base.resolve(path)), userInfo)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private static JsonNode parse(String text) throws IOException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException("ksqlDB answered with something that is not JSON: " + text, e);
        }
    }

    private static String message(JsonNode answer, HttpResponse<?> response) {
        String message = answer.path("message").asText("");
        if (message.isBlank()) {
            message = answer.toString();
        }
        return response == null ? message : message + (response.statusCode() >= 500 ? " (HTTP " + response.statusCode() + ")" : "");
    }
}
