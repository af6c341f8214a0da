package workshop.graders.schemas;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import workshop.grading.Expect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Running module 8's exercises: their environment, and what their output says went wrong. */
final class SchemaExercises {

    private SchemaExercises() {
    }

    /**
     * The environment to run an exercise with: the grader's variables, and, on a stack whose
     * registry is not Apicurio's (the docker-compose stack: Confluent's), Confluent's serializer
     * unless the learner chose one with AVRO_SERIALIZER.
     */
    static Map<String, String> environment(workshop.grading.Workbench bench, Map<String, String> variables) {
        Map<String, String> environment = new LinkedHashMap<>(variables);
        if (!bench.endpoints().environment().containsKey("APICURIO_REGISTRY_URL") && System.getenv("AVRO_SERIALIZER") == null) {
            environment.put("AVRO_SERIALIZER", "confluent");
        }
        return environment;
    }

    /**
     * The program ran to completion. When it failed because the registry refused its requests
     * (room mode: a registry with a login), that is the message, in one line, not the stack trace.
     */
    static void expectSuccess(Registry registry, workshop.grading.ProgramRun run, String whenTimedOut) {
        if (!run.succeeded()) {
            refusedLogin(run).ifPresent(status -> {
                throw Expect.fail("The schema registry refused the program's requests: " + Registry.refusal(status),
                        "requests with a login the registry accepts", firstLineWith(run, status), programLoginHint(registry.userInfo()));
            });
        }
        run.expectSuccess(whenTimedOut);
    }

    /** 401 or 403 when the program failed on the registry's refusal: Apicurio's and Confluent's clients, or its own HTTP calls. */
    static java.util.Optional<Integer> refusedLogin(workshop.grading.ProgramRun run) {
        String output = String.join("\n", run.stderr()) + "\n" + String.join("\n", run.stdout());
        for (int status : new int[] {401, 403}) {
            String apicurio = status == 401 ? "NotAuthorizedException" : "ForbiddenException";
            if (output.contains(apicurio) || output.contains("error code: " + status) || output.contains("HTTP " + status)) {
                return java.util.Optional.of(status);
            }
        }
        return java.util.Optional.empty();
    }

    private static String firstLineWith(workshop.grading.ProgramRun run, int status) {
        String apicurio = status == 401 ? "NotAuthorizedException" : "ForbiddenException";
        return java.util.stream.Stream.concat(run.stderr().stream(), run.stdout().stream())
                .filter(line -> line.contains(apicurio) || line.contains("error code: " + status) || line.contains("HTTP " + status))
                .map(String::strip).findFirst().orElse("HTTP " + status);
    }

    private static String programLoginHint(String userInfo) {
        String whenRefused = workshop.stack.HttpCredentials.hintWhenRefused(workshop.stack.Service.SCHEMA_REGISTRY, userInfo);
        return userInfo == null ? whenRefused
                : "The program gets the registry's login as SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (user:password): hand it to the "
                + "serializer and the deserializer too (REGISTRY_LOGIN: Apicurio's take apicurio.auth.username and apicurio.auth.password, "
                + "Confluent's basic.auth.credentials.source=USER_INFO and basic.auth.user.info). If it does, " + whenRefused;
    }

    /** A hint for a topic that stayed empty, from what the program printed on its way out. */
    static String whyNothingWasSent(workshop.grading.ProgramRun run) {
        String errors = String.join("\n", run.stderr()) + "\n" + String.join("\n", run.stdout());
        if (refusedLogin(run).isPresent()) {
            return "The schema registry refused the program's requests, HTTP " + refusedLogin(run).get() + ": see the first check.";
        }
        if (errors.contains("io.confluent")) {
            return "Confluent's serializer is not on the classpath: its jars come from Confluent's Maven repository (see the "
                    + "guide), or run with Apicurio's (AVRO_SERIALIZER=apicurio, the embedded stack).";
        }
        if (errors.contains("value.serializer")) {
            return "The producer has no value serializer: set a registry-aware Avro serializer (TODO 3).";
        }
        if (errors.contains("ArtifactNotFound") || errors.contains("40401") || errors.contains("40403")) {
            return "The serializer looked the schema up in the registry and found nothing: let it register the schema on "
                    + "first use (apicurio.registry.auto-register=true; Confluent's: auto.register.schemas=true). With it off, "
                    + "someone must have registered the schema before.";
        }
        if (!run.succeeded()) {
            return "The program failed before anything reached the topic: read its error in the first check.";
        }
        return "Send every rating, and close the producer before main moves on: close() waits for what is still buffered.";
    }

    /** The names of a record's headers, for a report. */
    static List<String> headerNames(ConsumerRecord<?, ?> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

}
