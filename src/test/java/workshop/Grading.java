package workshop;

import workshop.cli.GradeReport;
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
    /** When the test run began, so each grading's line says when it started: the run's timeline, for finding its slow stretches. */
    private static final long RUN_STARTED = System.nanoTime();

    private Grading() {
    }

    /**
     * The exercises to grade: all of them, or only those named by {@code -Dworkshop.only=log1,streams}
     * (exercise ids or module ids), for a quick run while writing a module.
     */
    static List<Exercise> exercises() {
        String only = System.getProperty("workshop.only", "").trim();
        if (only.isEmpty()) {
            return MANIFEST.availableExercises();
        }
        java.util.Set<String> wanted = java.util.Set.of(only.split("\\s*,\\s*"));
        return MANIFEST.availableExercises().stream()
                .filter(exercise -> wanted.contains(exercise.id()) || wanted.contains(MANIFEST.moduleOf(exercise).id()))
                .toList();
    }

    /** One grading to do: an exercise, the file to grade (null when it could not be written), and what to call it in the log. */
    record Job(String kind, Exercise exercise, Path file) {
    }

    /** Starts the shared test stack (Kafka; each grading adds the services it needs), showing its progress. */
    static void startStack() {
        Stacks.shared().start(EnumSet.of(Service.KAFKA), line -> System.out.println("    [stack] " + line));
    }

    /**
     * Why an exercise cannot be graded in this build, or empty. ksqlDB exercises need a ksqlDB
     * server (KSQLDB_URL, an external stack that has one, or Docker for the container stack);
     * the Java ones also need Confluent's ksqldb-api-client (mvn -Pconfluent).
     */
    static java.util.Optional<String> notGradable(Exercise exercise) {
        if (!exercise.ksqldb()) {
            return java.util.Optional.empty();
        }
        String backend = Stacks.shared().backend();
        boolean server = backend.equals("testcontainers")
                || (backend.equals("external") ? Stacks.shared().endpoints().address(Service.KSQLDB) != null
                : workshop.stack.KsqlDbServer.reachable().isPresent());
        if (!server) {
            return java.util.Optional.of(exercise.id() + " needs a ksqlDB server: none answers here (no Docker, no "
                    + workshop.stack.KsqlDbServer.VARIABLE + "). Run KSQLDB_URL=http://localhost:8088 mvn verify against one.");
        }
        if (backend.equals("embedded") && MANIFEST.moduleOf(exercise).services().contains(Service.CONNECT)) {
            // The capstone's SQL pipeline reads what Debezium writes: ksqlDB must use the stack's own Kafka,
            // and a KSQLDB_URL beside the embedded stack has a Kafka of its own.
            return java.util.Optional.of(exercise.id() + " needs ksqlDB on the stack's own Kafka (Debezium and the sinks run on it): "
                    + "grade it on one stack, docker compose or WORKSHOP_STACK=external with the addresses of one.");
        }
        if (!exercise.sqlScript()) {
            try {
                Class.forName("io.confluent.ksql.api.client.Client");
            } catch (ClassNotFoundException e) {
                return java.util.Optional.of(exercise.id() + " needs Confluent's ksqldb-api-client: run with mvn -Pconfluent.");
            }
        }
        return java.util.Optional.empty();
    }

    /** Skips the calling test, with the reason, when the exercise cannot be graded here. */
    static void assumeGradable(Exercise exercise) {
        notGradable(exercise).ifPresent(reason -> org.junit.jupiter.api.Assumptions.abort(reason));
    }

    static GradeResult gradeAndLog(Job job) {
        if (notGradable(job.exercise()).isPresent()) {
            return null; // its test is skipped with the reason
        }
        GradeResult result = grade(job.exercise(), job.file());
        log(job.kind(), job.exercise(), result);
        if (machineTooBusy(result)) {
            // The grader said the broker or the machine did not answer in time (a learner reads that
            // too): that is about this run, not the file. Once more, as a learner would grade again.
            System.out.println("    [grading] " + job.exercise().id() + ": the machine was too busy for that grading; grading it again");
            result = grade(job.exercise(), job.file());
            log(job.kind(), job.exercise(), result);
        }
        return result;
    }

    /**
     * The lane a grader must run in, or empty: gradings whose graders declare the same isolation
     * (they stop brokers, time a crash or a throughput, or change rows others read) run one at a
     * time, beside the rest.
     */
    static String isolation(Exercise exercise) {
        try {
            return Class.forName(exercise.grader()).getAnnotation(workshop.grading.Grader.class).isolation();
        } catch (ClassNotFoundException e) {
            return "";
        }
    }

    /** The grading ended on the machine's slowness ({@link workshop.stack.StackException}), not on a check of the code. */
    static boolean machineTooBusy(GradeResult result) {
        return result.setupFailure() instanceof workshop.stack.StackException
                || result.checks().stream().anyMatch(check -> check.failure() instanceof workshop.stack.StackException);
    }

    static GradeResult grade(Exercise exercise, Path file) {
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        services.addAll(MANIFEST.moduleOf(exercise).servicesFor(exercise));
        GradingSession session = new GradingSession(exercise.id(), file, ROOT, Stacks.shared(), services,
                line -> System.out.println("    [stack] " + line));
        return GraderLauncher.grade(session, exercise.grader());
    }

    /** One line for the build log: which file, what the grader said, how long it took. */
    static void log(String kind, Exercise exercise, GradeResult result) {
        String verdict = result.passed() ? "PASS" : result.setupFailure() != null ? "ERROR" : "FAIL";
        double startedAt = (System.nanoTime() - RUN_STARTED - result.took().toNanos()) / 1e9;
        System.out.printf("[%s] %-13s %-5s %d/%d checks pass (%.1f s, from %.0f s) %s%n", kind, exercise.id(), verdict,
                result.passedCount(), result.checks().size(), result.took().toMillis() / 1000.0, startedAt, shown(result.target()));
    }

    private static Path shown(Path file) {
        return file.startsWith(ROOT) ? ROOT.relativize(file) : file;
    }

    static String report(Exercise exercise, GradeResult result) {
        return GradeReport.plain(result, exercise.id() + ": " + exercise.title() + " (" + shown(result.target()) + ")");
    }
}
