package workshop.graders.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the module 8 graders ask a schema registry, through Confluent's REST API (which both
 * Confluent's registry and the embedded Apicurio registry serve). The bytes a registry-aware
 * serializer writes are {@link WireFormat}'s business, the ratings' schema {@link RatingSchema}'s,
 * and running the exercises {@link SchemaExercises}'.
 */
final class Registry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The rating's fields, in the file's order, with the Avro type each must have. */

    private final String url;
    private final String userInfo; // room mode: the registry's login, if it asks for one
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** An answer of the registry: the HTTP status and the JSON body (a MissingNode if none). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "HTTP " + status + (body.isMissingNode() ? "" : " " + body);
        }
    }

    /** A version of a subject: its number, the schema's id and the schema. */
    record Version(String subject, int version, int id, Schema schema) {
    }

    /** The stack's registry, with its login if it asks for one. */
    Registry(workshop.stack.Endpoints endpoints) {
        this(endpoints.address(workshop.stack.Service.SCHEMA_REGISTRY), endpoints.userInfo(workshop.stack.Service.SCHEMA_REGISTRY));
    }

    /** @param url the registry's Confluent API, e.g. http://localhost:8081/apis/ccompat/v7 */
    Registry(String url, String userInfo) {
        if (url == null) {
            throw new IllegalStateException("The stack has no schema registry: the module's services must include schema-registry");
        }
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.userInfo = userInfo;
    }

    String url() {
        return url;
    }

    /** The login sent with every request, or null. */
    String userInfo() {
        return userInfo;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            workshop.stack.HttpCredentials.authorize(request, userInfo);
            HttpResponse<String> response = http.send(request.timeout(workshop.stack.MachinePace.scale(TIMEOUT)).header("Accept", CONTENT_TYPE).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body() == null || response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.getNodeFactory().textNode(response.body());
            }
            Answer answer = new Answer(response.statusCode(), body);
            if (answer.status() == 401 || answer.status() == 403) {
                throw workshop.grading.Expect.fail("The schema registry at " + url + " refused the grader's request: " + refusal(answer.status()),
                        "an answer to the login of the stack's settings", answer.toString(), workshop.stack.HttpCredentials.hintWhenRefused(workshop.stack.Service.SCHEMA_REGISTRY, userInfo));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("The schema registry at " + url + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** What a 401 or a 403 of the registry means. */
    static String refusal(int status) {
        return status == 401 ? "HTTP 401 Unauthorized (no login, or a wrong one)" : "HTTP 403 Forbidden (the login may not do that)";
    }

    static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    /** Registers a schema under a subject (as a tool or a CI job would) and returns its id. */
    int register(String subject, Schema schema) {
        Answer answer = post("/subjects/" + encode(subject) + "/versions", JSON.createObjectNode().put("schema", schema.toString()).toString());
        if (answer.status() / 100 == 5) { // the registry itself failed (or, behind the proxy, did not answer in time)
            throw new workshop.stack.StackException("The schema registry failed to register the grader's schema under " + subject + " (" + answer
                    + "): the registry, not your code; on a busy machine (" + workshop.stack.MachinePace.describe() + ") grade again.");
        }
        if (!answer.ok() || !answer.body().path("id").canConvertToInt()) {
            throw new IllegalStateException("The schema registry refused to register a schema under " + subject + ": " + answer);
        }
        return answer.body().get("id").asInt();
    }

    /** The schema with this id, or empty when the registry knows no such id (or it is no Avro schema). */
    Optional<Schema> schema(int id) {
        Answer answer = get("/schemas/ids/" + id);
        if (!answer.ok() || !answer.body().path("schema").isTextual()) {
            return Optional.empty();
        }
        return parse(answer.body().get("schema").asText());
    }

    /** The subjects (and versions) under which the registry keeps the schema with this id. */
    List<String> subjectsOf(int id) {
        Answer answer = get("/schemas/ids/" + id + "/versions");
        List<String> subjects = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(v -> subjects.add(v.path("subject").asText() + " (version " + v.path("version").asText() + ")"));
        }
        return subjects;
    }

    /** Every subject the registry lists. */
    List<String> subjects() {
        Answer answer = get("/subjects");
        List<String> subjects = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(s -> subjects.add(s.asText()));
        }
        return subjects;
    }

    /** The version numbers of a subject; empty when the subject does not exist. */
    List<Integer> versions(String subject) {
        Answer answer = get("/subjects/" + encode(subject) + "/versions");
        List<Integer> versions = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(v -> versions.add(v.asInt()));
        }
        return versions;
    }

    /** A version ("latest" or a number) of a subject, or empty when there is none. */
    Optional<Version> version(String subject, String version) {
        Answer answer = get("/subjects/" + encode(subject) + "/versions/" + version);
        if (!answer.ok() || !answer.body().path("id").canConvertToInt()) {
            return Optional.empty();
        }
        JsonNode body = answer.body();
        return parse(body.path("schema").asText()).map(schema ->
                new Version(subject, body.path("version").asInt(), body.get("id").asInt(), schema));
    }

    static Optional<Schema> parse(String schema) {
        try {
            return Optional.of(new Schema.Parser().parse(schema));
        } catch (SchemaParseException e) {
            return Optional.empty();
        }
    }
}
