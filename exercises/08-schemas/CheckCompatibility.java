///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.apache.avro:avro:1.12.2
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Module 8, exercise schemas3 (stretch): a compatibility check for your build.
 *
 * Asks the schema registry whether the schema in SCHEMA_FILE may become the next version of
 * SUBJECT, without registering anything, and answers with its exit code, so that a build or a
 * CI pipeline stops before a breaking schema reaches production:
 *
 *   0  compatible, or SUBJECT has no version yet (the schema would be its first);
 *   1  incompatible: it prints the registry's reasons, which name the fields at fault;
 *   2  no answer: the file is no schema, or the registry cannot be reached or could not check.
 *
 *   Run it:    SCHEMA_FILE=rating.avsc SUBJECT=ratings-avro-value ./jbang schemas3 ; echo "exit code $?"
 *   Check it:  ./jbang workshop check schemas3
 */
public class CheckCompatibility {

    // Room mode (docs/instructor-guide.adoc): the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings-avro-value).
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String SCHEMA_REGISTRY_URL = System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7");
    static final Path SCHEMA_FILE = Path.of(System.getenv().getOrDefault("SCHEMA_FILE", "rating.avsc"));
    static final String SUBJECT = System.getenv().getOrDefault("SUBJECT", PREFIX + "ratings-avro-value");

    static final int COMPATIBLE = 0;
    static final int INCOMPATIBLE = 1;
    static final int NO_ANSWER = 2;

    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws InterruptedException {
        System.exit(check());
    }

    static int check() throws InterruptedException {
        String schema;
        try {
            schema = new Schema.Parser().parse(Files.readString(SCHEMA_FILE)).toString();
        } catch (IOException e) {
            System.err.println("Cannot read the schema file " + SCHEMA_FILE.toAbsolutePath() + ": " + e);
            return NO_ANSWER;
        } catch (SchemaParseException e) {
            System.err.println(SCHEMA_FILE + " is no Avro schema: " + e.getMessage());
            return NO_ANSWER;
        }

        // TODO 1: the URL of the registry's compatibility check: SCHEMA_REGISTRY_URL +
        //         "/compatibility/subjects/" + the subject (URL-encoded) + "/versions/latest". Ask for the
        //         reasons too ("?verbose=true"): a build that fails should say what to fix.
        String url = SCHEMA_REGISTRY_URL;
        HttpRequest request = withLogin(HttpRequest.newBuilder(URI.create(url)))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("schema", schema).toString()))
                .build();
        int status;
        JsonNode answer;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = JSON.readTree(response.body().isBlank() ? "{}" : response.body());
        } catch (IOException e) {
            System.err.println("No answer from the schema registry at " + SCHEMA_REGISTRY_URL + ": " + e);
            return NO_ANSWER;
        }

        // TODO 2: decide, from the HTTP status and the answer, and say why:
        //   200, {"is_compatible": true}   -> COMPATIBLE
        //   200, {"is_compatible": false}  -> print the registry's reasons (Confluent's registry lists them
        //                                     in "messages", Apicurio's in "reason"), INCOMPATIBLE
        //   404, "error_code" 40401 (no such subject) or 40402 (no version in it)
        //                                  -> the schema would be the subject's first version: COMPATIBLE
        //   anything else (a 404 without those codes is a wrong URL, not a new subject) -> NO_ANSWER
        System.out.println("The registry answered HTTP " + status + ": " + answer);
        return COMPATIBLE;
    }

    /** Room mode: the registry's login (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:password), when the room's registry asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
