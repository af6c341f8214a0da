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

    public LearnerProgress(Path stateDir) {
        this.file = stateDir.resolve("progress.json");
        this.state = read(file);
    }

    private static State read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new State(null, null);
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            return new State(null, null); // damaged: start afresh rather than refuse to run
        }
    }

    public boolean isDone(String exerciseId) {
        return state.done().containsKey(exerciseId);
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
