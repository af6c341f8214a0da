package workshop.graders.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades schemas3. With three versions of the ratings' schema registered under a fresh subject
 * (version 1; version 2 adds "device" with a default; version 3 adds "language" with a default),
 * the check runs five times, side by side: a schema compatible with the latest version but not
 * with the first (version 3 with "device" required: it cannot read version 1's records, which
 * have no device), so that a check against version 1 fails it (exit 0 expected); an incompatible
 * one, with a new field of a random name and no default (exit 1, the output naming that field);
 * a subject that has no version yet (exit 0); a registry that does not answer, and a URL that is
 * no registry's (both must fail, not pass). Checking must register nothing.
 */
@Grader
class CheckCompatibilityGrader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NEW_FIELDS = List.of("seat", "cabin_class", "meal", "gate", "crew_rating", "aircraft", "booking_ref");

    private String subject;
    private String newSubject;
    private String newField;
    private Registry registry;
    private final Map<String, ProgramRun> runs = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        registry = new Registry(bench.endpoints());
        subject = bench.name("ratings-avro") + "-value";
        newSubject = bench.name("complaints") + "-value";
        newField = NEW_FIELDS.get(random.nextInt(NEW_FIELDS.size()));
        registry.register(subject, RatingSchema.ratingSchemaV1());
        registry.register(subject, new Schema.Parser().parse(schema(List.of(Map.entry("device", true)))));
        registry.register(subject, new Schema.Parser().parse(schema(List.of(Map.entry("device", true), Map.entry("language", true)))));

        // Reads version 3's records (they have a device), not version 1's: compatible with the latest only.
        Path compatible = bench.writeScratchFile("candidate-1.avsc", schema(List.of(Map.entry("device", false), Map.entry("language", true))));
        Path incompatible = bench.writeScratchFile("candidate-2.avsc",
                schema(List.of(Map.entry("device", true), Map.entry("language", true), Map.entry(newField, false))));
        settings.put("compatible", Map.of("SCHEMA_FILE", compatible.toString(), "SUBJECT", subject));
        settings.put("incompatible", Map.of("SCHEMA_FILE", incompatible.toString(), "SUBJECT", subject));
        settings.put("new subject", Map.of("SCHEMA_FILE", compatible.toString(), "SUBJECT", newSubject));
        settings.put("registry down", Map.of("SCHEMA_FILE", compatible.toString(), "SUBJECT", subject,
                "SCHEMA_REGISTRY_URL", "http://localhost:" + closedPort() + "/apis/ccompat/v7"));
        settings.put("wrong URL", Map.of("SCHEMA_FILE", compatible.toString(), "SUBJECT", subject,
                "SCHEMA_REGISTRY_URL", registry.url() + "/no-registry-here"));

        // Side by side: each run is a JVM that mostly waits.
        Map<String, RunningProgram> started = new LinkedHashMap<>();
        settings.forEach((name, environment) -> started.put(name, bench.program().start(environment)));
        started.forEach((name, program) -> runs.put(name, program.await(workshop.grading.Program.DEFAULT_TIMEOUT)));
    }

    /** Version 1 of the ratings' schema with more string fields, each with or without a default, as a .avsc file's text. */
    private static String schema(List<Map.Entry<String, Boolean>> fields) {
        try {
            ObjectNode schema = (ObjectNode) JSON.readTree(RatingSchema.ratingSchemaV1().toString());
            for (Map.Entry<String, Boolean> added : fields) {
                ObjectNode field = ((ArrayNode) schema.get("fields")).addObject().put("name", added.getKey()).put("type", "string");
                if (added.getValue()) {
                    field.put("default", "unknown");
                }
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String output(ProgramRun run) {
        List<String> lines = new ArrayList<>(run.stdout());
        lines.addAll(run.stderr().stream().filter(l -> !l.startsWith("\tat ")).limit(6).toList());
        return lines.isEmpty() ? "no output" : String.join("\n            ", lines);
    }

    private static String outcome(ProgramRun run) {
        return run.timedOut() ? "still running after " + run.took().toSeconds() + " s" : "exit code " + run.exitCode() + "; output:\n            " + output(run);
    }

    private String how(String name) {
        Map<String, String> environment = settings.get(name);
        return environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + " " + b).orElse("");
    }

    @Test
    @Order(1)
    @DisplayName("a compatible schema passes: exit code 0")
    void compatiblePasses() {
        ProgramRun run = runs.get("compatible");
        Expect.isTrue(!run.timedOut() && run.exitCode() == 0,
                "The check fails a schema that is compatible with the subject's latest version (3), run with " + how("compatible"),
                "exit code 0", outcome(run),
                run.exitCode() == 1
                        ? "Exit 1 only when the registry answers {\"is_compatible\": false} for the LATEST version: this schema "
                        + "requires \"device\", which version 3's records have and version 1's do not. Check against "
                        + "/versions/latest, not /versions/1."
                        : "Ask the registry with POST " + "<SCHEMA_REGISTRY_URL>/compatibility/subjects/<SUBJECT>/versions/latest and a body "
                        + "{\"schema\": \"<the schema, as a string>\"}, then exit 0 when is_compatible is true.");
    }

    @Test
    @Order(2)
    @DisplayName("an incompatible schema fails with exit code 1, and the output names the field")
    void incompatibleFails() {
        ProgramRun run = runs.get("incompatible");
        String said = String.join("\n", run.stdout()) + "\n" + String.join("\n", run.stderr());
        if (run.timedOut() || run.exitCode() != 1) {
            String hint;
            if (!run.timedOut() && run.exitCode() == 0 && said.contains("no version")) {
                hint = "The check found no version of the subject, but " + subject + " has one: check against SUBJECT exactly as "
                        + "given (the subject is already the topic's name + \"-value\").";
            } else if (!run.timedOut() && run.exitCode() == 0) {
                hint = "The registry answers {\"is_compatible\": false}: end with System.exit(1), so that the build stops.";
            } else {
                hint = "Exit with 1 when the registry answers {\"is_compatible\": false}.";
            }
            throw Expect.fail("The check does not fail a schema that adds the field " + newField + " without a default, run with "
                    + how("incompatible"), "exit code 1", outcome(run), hint);
        }
        Expect.isTrue(said.contains(newField), "The check fails, but does not say which field is at fault",
                "a message that names the field " + newField, output(run),
                "Ask for the reasons with ?verbose=true at the end of the URL, and print them: Confluent's registry lists them "
                        + "in \"messages\", Apicurio's in \"reason\".");
    }

    @Test
    @Order(3)
    @DisplayName("a subject with no version yet passes: exit code 0")
    void newSubjectPasses() {
        ProgramRun run = runs.get("new subject");
        Expect.isTrue(!run.timedOut() && run.exitCode() == 0,
                "The check fails a schema for a subject that has no version yet, run with " + how("new subject"), "exit code 0",
                outcome(run),
                "A new subject has nothing to be incompatible with: the schema will be its version 1. Apicurio's registry "
                        + "answers 404 with error_code 40401 (no subject) or 40402 (no version), Confluent's answers "
                        + "{\"is_compatible\": true}: both mean go ahead.");
    }

    @Test
    @Order(4)
    @DisplayName("the check fails with exit code 2 when it cannot ask the registry (registry down, or a URL that is no registry)")
    void noAnswerFails() {
        for (String name : List.of("registry down", "wrong URL")) {
            ProgramRun run = runs.get(name);
            Expect.isTrue(!run.timedOut() && run.exitCode() != 0,
                    "The check passes although it got no answer from a registry, run with " + how(name),
                    "exit code 2", outcome(run),
                    name.equals("registry down")
                            ? "When the registry cannot be reached, nobody checked the schema: let the build fail (exit 2), "
                            + "rather than let an unchecked schema through."
                            : "A 404 without the error_code 40401 or 40402 means the URL is wrong (no such API), not that "
                            + "the subject is new: fail (exit 2).");
            Expect.isTrue(run.exitCode() == 2,
                    "The check does not say \"no answer\" with the exit code the build relies on, run with " + how(name),
                    "exit code 2", outcome(run),
                    "Exit 1 says the schema is incompatible: a build would blame the schema. No answer from a registry is "
                    + "exit 2 (NO_ANSWER), so the build can tell \"fix your schema\" from \"fix the registry URL\". "
                    + "An exception that escapes main also exits 1: catch it and exit 2.");
        }
    }

    @Test
    @Order(5)
    @DisplayName("checking registers nothing")
    void registersNothing() {
        List<Integer> versions = registry.versions(subject);
        Expect.equal("The subject " + subject + " has more versions after the check", "versions [1, 2, 3]", "versions " + versions,
                "POST /subjects/<subject>/versions registers; a check must only ask: POST /compatibility/subjects/<subject>/versions/latest.");
        List<Integer> created = registry.versions(newSubject);
        Expect.equal("Checking created the subject " + newSubject, "no versions", created.isEmpty() ? "no versions" : "versions " + created,
                "A check must not register: POST /compatibility/subjects/<subject>/versions/latest.");
    }
}
