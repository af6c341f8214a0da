package workshop.cli;

import workshop.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learner's progress: which exercises pass, and how many hints each one has shown. Kept in
 * .workshop/progress.json (git ignores it), written atomically so Ctrl-C never leaves half a file.
 */
public final class LearnerProgress {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's content. */
    public record State(Map<String, Long> done, Map<String, Integer> hintsShown) {
        public State {
            done = done == null ? new LinkedHashMap<>() : new LinkedHashMap<>(done);
            hintsShown = hintsShown == null ? new LinkedHashMap<>() : new LinkedHashMap<>(hintsShown);
        }
    }

    private final Path file;
    private State state;
    private String damaged;

    public LearnerProgress(Path stateDir) {
        this.file = stateDir.resolve("progress.json");
        this.state = read(file);
    }

    private State read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new State(null, null);
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            damaged = keepAside(file); // start afresh rather than refuse to run, but lose nothing
            return new State(null, null);
        }
    }

    /** What happened to a progress file that could not be read, if one could not. */
    public java.util.Optional<String> damaged() {
        return java.util.Optional.ofNullable(damaged);
    }

    /** Moves a damaged progress file aside (progress.json.damaged-<time>); returns what to tell the learner. */
    private static String keepAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-"
                + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return "Your progress file " + file + " could not be read: it is kept as " + aside.getFileName()
                    + ", and progress starts afresh.";
        } catch (IOException e) {
            return "Your progress file " + file + " could not be read, nor moved aside (" + e.getMessage()
                    + "): progress starts afresh and will overwrite it.";
        }
    }

    public boolean isDone(String exerciseId) {
        return state.done().containsKey(exerciseId);
    }

    /**
     * Done in either track: the exercise passed, or its twin did (a ksqlDB exercise and its Kafka
     * Streams twin teach the same thing, so a module counts as done with either).
     */
    public boolean isDone(workshop.manifest.Exercise exercise, workshop.manifest.Manifest manifest) {
        return isDone(exercise.id()) || manifest.twinsOf(exercise).stream().anyMatch(this::isDone);
    }

    public void markDone(String exerciseId) {
        if (!isDone(exerciseId)) {
            state.done().put(exerciseId, System.currentTimeMillis());
            save();
        }
    }

    public void markNotDone(String exerciseId) {
        if (state.done().remove(exerciseId) != null) {
            save();
        }
    }

    /** How many hints of an exercise the learner has shown so far. */
    public int hintsShown(String exerciseId) {
        return state.hintsShown().getOrDefault(exerciseId, 0);
    }

    /** Shows one more hint each time, up to all of them; returns how many to show now. */
    public int nextHintCount(String exerciseId, int available) {
        int shown = Math.min(available, state.hintsShown().getOrDefault(exerciseId, 0) + 1);
        state.hintsShown().put(exerciseId, shown);
        save();
        return shown;
    }

    private void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsString(state));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save progress to " + file, e);
        }
    }
}
