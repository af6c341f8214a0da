package workshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import workshop.stack.Endpoints;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema registry answers as Confluent's docs show it, whichever backend runs it: the
 * Confluent API at the root of its port ({@code /subjects}), and a compatibility answer with
 * Confluent's {@code messages} field.
 */
class SchemaRegistryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String RATING = "{\"type\":\"record\",\"name\":\"Rating\",\"fields\":[{\"name\":\"stars\",\"type\":\"int\"}]}";
    /** A new field without a default: old records cannot be read with it (not backward compatible). */
    private static final String BREAKING = "{\"type\":\"record\",\"name\":\"Rating\",\"fields\":[{\"name\":\"stars\",\"type\":\"int\"},"
            + "{\"name\":\"comment\",\"type\":\"string\"}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void confluentsApiAtTheRootWithConfluentsCompatibilityAnswer() throws Exception {
        Stacks.shared().start(Set.of(Service.SCHEMA_REGISTRY), line -> { });
        String advertised = Stacks.shared().endpoints().address(Service.SCHEMA_REGISTRY);
        String root = advertised.endsWith(Endpoints.APICURIO_CONFLUENT_API)
                ? advertised.substring(0, advertised.length() - Endpoints.APICURIO_CONFLUENT_API.length()) : advertised;
        String subject = "ratings-" + UUID.randomUUID().toString().substring(0, 8) + "-value";

        HttpResponse<String> registered = send("POST", root + "/subjects/" + subject + "/versions", schema(RATING));
        assertEquals(200, registered.statusCode(), registered.body());
        assertTrue(JSON.readTree(registered.body()).has("id"), registered.body());

        HttpResponse<String> subjects = send("GET", root + "/subjects", null);
        assertEquals(200, subjects.statusCode(), subjects.body());
        assertTrue(subjects.body().contains(subject), subjects.body());

        HttpResponse<String> check = send("POST", root + "/compatibility/subjects/" + subject + "/versions/latest?verbose=true", schema(BREAKING));
        assertEquals(200, check.statusCode(), check.body());
        JsonNode answer = JSON.readTree(check.body());
        assertFalse(answer.get("is_compatible").asBoolean(), check.body());
        assertTrue(answer.get("messages").isArray() && !answer.get("messages").isEmpty(), "says why, in Confluent's field: " + check.body());
    }

    private static String schema(String avro) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("schema", avro));
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
