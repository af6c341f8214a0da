package workshop.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JBang catalog (jbang-catalog.json), made from the manifest: an alias for the runner, for
 * its most used commands, and for every exercise, so that {@code ./jbang log1} runs
 * exercises/01-log/AppendRatings.java from anywhere in the workshop.
 */
public final class Catalog {

    /** The runner's JBang entry point, relative to the workshop root. */
    public static final String RUNNER = "src/main/java/workshop/Launcher.java";
    public static final String FILE_NAME = "jbang-catalog.json";

    private Catalog() {
    }

    public static String generate(Manifest manifest) {
        Map<String, Object> aliases = new LinkedHashMap<>();
        aliases.put("workshop", alias(RUNNER, "The workshop runner: watch, list, check, hint, reset, stack, doctor.", List.of()));
        aliases.put("doctor", alias(RUNNER, "Check this machine for the workshop.", List.of("doctor")));
        aliases.put("stack", alias(RUNNER, "Start, stop or inspect the background stack: stack up|down|status.", List.of("stack")));
        for (Module module : manifest.modules()) {
            if (!module.available()) {
                continue;
            }
            for (Exercise exercise : module.exercises()) {
                if (exercise.sqlScript()) {
                    continue; // typed into the ksqlDB CLI (or RUN SCRIPT there): not a JBang script
                }
                aliases.put(exercise.id(), alias("exercises/" + exercise.file(),
                        "Module " + module.number() + ": " + exercise.title(), List.of()));
            }
        }
        Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put("aliases", aliases);
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return new ObjectMapper().writer(printer).writeValueAsString(catalog) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> alias(String scriptRef, String description, List<String> arguments) {
        Map<String, Object> alias = new LinkedHashMap<>();
        alias.put("script-ref", scriptRef);
        alias.put("description", description);
        if (!arguments.isEmpty()) {
            alias.put("arguments", arguments);
        }
        return alias;
    }
}
