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

    /** One grading to do: an exercise, the file to grade, and what to call it in the log. */
    record Job(String kind, Exercise exercise, Path file) {
    }

    /** Gradings side by side, at most this many at once: they mostly wait for JVMs and the broker. */
    private static final int PARALLEL = 3;

    /**
     * Grades every job and returns the results in the jobs' order: side by side where graders
     * allow it, one at a time for exclusive graders (they stop brokers or measure throughput).
     */
    static List<GradeResult> gradeAll(List<Job> jobs) {
        Stacks.shared().start(EnumSet.of(Service.KAFKA), line -> System.out.println("    [stack] " + line));
        java.util.Map<Job, java.util.concurrent.Future<GradeResult>> results = new java.util.LinkedHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(PARALLEL);
        try {
            for (Job job : jobs) {
                if (!exclusive(job.exercise())) {
                    results.put(job, pool.submit(() -> gradeAndLog(job)));
                }
            }
            List<GradeResult> ordered = new java.util.ArrayList<>();
            java.util.Map<Job, GradeResult> done = new java.util.HashMap<>();
            for (var entry : results.entrySet()) {
                done.put(entry.getKey(), entry.getValue().get());
            }
            for (Job job : jobs) {
                if (exclusive(job.exercise())) {
                    done.put(job, gradeAndLog(job));
                }
            }
            jobs.forEach(job -> ordered.add(done.get(job)));
            return ordered;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static GradeResult gradeAndLog(Job job) {
        GradeResult result = grade(job.exercise(), job.file());
        log(job.kind(), job.exercise(), result);
        return result;
    }

    private static boolean exclusive(Exercise exercise) {
        try {
            return Class.forName(exercise.grader()).getAnnotation(workshop.grading.Grader.class).exclusive();
        } catch (ClassNotFoundException e) {
            return false;
        }
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
