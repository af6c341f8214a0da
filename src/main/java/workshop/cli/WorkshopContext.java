package workshop.cli;

import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import workshop.WorkshopRoot;
import workshop.manifest.Exercise;
import workshop.manifest.Manifest;
import workshop.manifest.Module;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What every command needs: the workshop's folder, its manifest, the learner's progress, the terminal. */
public final class WorkshopContext {

    private final Path root;
    private final Manifest manifest;
    private final LearnerProgress progress;
    private final Terminal terminal;

    public WorkshopContext(Path root, Terminal terminal) {
        this.root = root;
        this.manifest = Manifest.load(root.resolve(Manifest.FILE_NAME));
        this.progress = new LearnerProgress(WorkshopRoot.stateDir(root));
        this.terminal = terminal;
        progress.damaged().ifPresent(notice -> terminal.println("@|yellow " + Terminal.escape(notice) + "|@"));
    }

    public Path root() {
        return root;
    }

    public Path stateDir() {
        return WorkshopRoot.stateDir(root);
    }

    public Manifest manifest() {
        return manifest;
    }

    public LearnerProgress progress() {
        return progress;
    }

    public Terminal terminal() {
        return terminal;
    }

    /**
     * The exercise with this id, or a usage error that lists the valid ids and the closest one.
     */
    public Exercise exercise(String id, CommandLine commandLine) {
        Optional<Exercise> exercise = manifest.exercise(id);
        if (exercise.isPresent()) {
            if (!manifest.moduleOf(exercise.get()).available()) {
                throw new CommandLine.ParameterException(commandLine, "Exercise '" + id + "' is not written yet.");
            }
            return exercise.get();
        }
        List<String> ids = manifest.availableExercises().stream().map(Exercise::id).toList();
        String closest = ids.stream().min(Comparator.comparingInt(candidate -> distance(candidate, id))).orElse("");
        String suggestion = distance(closest, id) <= 2 ? " Did you mean " + closest + "?" : "";
        throw new CommandLine.ParameterException(commandLine,
                "Unknown exercise '" + id + "'." + suggestion + " Valid ids: " + String.join(", ", ids));
    }

    /** The first exercise, in workshop order, that does not pass yet. */
    public Optional<Exercise> current() {
        return manifest.availableExercises().stream().filter(e -> !progress.isDone(e, manifest)).findFirst();
    }

    public long doneCount() {
        return manifest.availableExercises().stream().filter(e -> progress.isDone(e, manifest)).count();
    }

    public String describe(Exercise exercise) {
        Module module = manifest.moduleOf(exercise);
        return exercise.id() + " · " + exercise.title() + "  (module " + module.number() + ": " + module.title() + ")";
    }

    public Path relative(Path file) {
        return root.relativize(file);
    }

    /** Edit distance, for "did you mean". */
    private static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
