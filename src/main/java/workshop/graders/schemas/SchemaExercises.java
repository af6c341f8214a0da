package workshop.graders.schemas;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    /** A hint for a topic that stayed empty, from what the program printed on its way out. */
    static String whyNothingWasSent(workshop.grading.ProgramRun run) {
        String errors = String.join("\n", run.stderr()) + "\n" + String.join("\n", run.stdout());
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
