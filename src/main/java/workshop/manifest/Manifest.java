package workshop.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The ordered table of contents of the workshop, read from {@code workshop.yaml}: modules in the
 * order of the talk, each with its exercises, hints and the services it needs. The runner, the
 * JBang catalog and the CI checks all read this one file.
 */
public record Manifest(List<Module> modules) {

    public static final String FILE_NAME = "workshop.yaml";

    public static Manifest load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            return yaml.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every exercise of every module, in workshop order (modules marked as coming have none). */
    public List<Exercise> exercises() {
        return modules.stream().flatMap(m -> m.exercises().stream()).toList();
    }

    /** Exercises of the modules that are written, in order. */
    public List<Exercise> availableExercises() {
        return modules.stream().filter(Module::available).flatMap(m -> m.exercises().stream()).toList();
    }

    public Optional<Exercise> exercise(String id) {
        return exercises().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public Module moduleOf(Exercise exercise) {
        return modules.stream()
                .filter(m -> m.exercises().contains(exercise))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No module holds " + exercise.id()));
    }

    /**
     * The exercises that do the same as this one in the other track: its twin, and every exercise
     * that names it as its twin. Doing one of them is doing this one.
     */
    public List<String> twinsOf(Exercise exercise) {
        return exercises().stream()
                .filter(other -> other != exercise && (other.id().equals(exercise.twin()) || exercise.id().equals(other.twin())))
                .map(Exercise::id)
                .toList();
    }

    public Stream<String> exerciseIds() {
        return exercises().stream().map(Exercise::id);
    }
}
