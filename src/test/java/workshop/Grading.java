package workshop;

import workshop.grading.GradeReport;
import workshop.grading.GradeResult;
import workshop.grading.GraderLauncher;
import workshop.grading.GradingSession;
import workshop.manifest.Exercise;
import workshop.manifest.Manifest;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/** Grades files in tests exactly as the runner grades a learner's file, on the shared test stack. */
final class Grading {

    static final Path ROOT = WorkshopRoot.find();
    static final Manifest MANIFEST = Manifest.load(ROOT.resolve(Manifest.FILE_NAME));

    private Grading() {
    }

    static List<Exercise> exercises() {
        return MANIFEST.availableExercises();
    }

    static GradeResult grade(Exercise exercise, Path file) {
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        services.addAll(MANIFEST.moduleOf(exercise).services());
        GradingSession session = new GradingSession(exercise.id(), file, ROOT, Stacks.shared(), services,
                line -> System.out.println("    [stack] " + line));
        return GraderLauncher.grade(session, exercise.grader());
    }

    /** One line for the build log: which file, what the grader said, how long it took. */
    static void log(String kind, Exercise exercise, GradeResult result) {
        String verdict = result.passed() ? "PASS" : result.setupFailure() != null ? "ERROR" : "FAIL";
        System.out.printf("[%s] %-13s %-5s %d/%d checks pass (%.1f s) %s%n", kind, exercise.id(), verdict,
                result.passedCount(), result.checks().size(), result.took().toMillis() / 1000.0, shown(result.target()));
    }

    private static Path shown(Path file) {
        return file.startsWith(ROOT) ? ROOT.relativize(file) : file;
    }

    static String report(Exercise exercise, GradeResult result) {
        return GradeReport.plain(result, exercise.id() + ": " + exercise.title() + " (" + shown(result.target()) + ")");
    }
}
