package workshop.grading;

import workshop.JavaProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled exercise, ready to run in JVMs of its own, each with the stack's addresses in its
 * environment ({@code BOOTSTRAP_SERVERS}, ...) plus whatever the grader adds (topic names).
 */
public final class Program {

    /** Small, fast-starting JVMs: exercises are short programs. */
    private static final List<String> JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final ExerciseSource source;
    private final Path classes;
    private final Map<String, String> stackEnvironment;
    private final Path workingDirectory;

    Program(ExerciseSource source, Path classes, Map<String, String> stackEnvironment, Path workingDirectory) {
        this.source = source;
        this.classes = classes;
        this.stackEnvironment = Map.copyOf(stackEnvironment);
        this.workingDirectory = workingDirectory;
    }

    public String name() {
        return source.file().getFileName().toString();
    }

    /**
     * How long an exercise may run before it is stopped: they finish in a second or two, and a
     * learner should not wait long for one that never ends.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** Runs the program to its end, or kills it after {@link #DEFAULT_TIMEOUT}. */
    public ProgramRun run(Map<String, String> environment) {
        return run(environment, DEFAULT_TIMEOUT);
    }

    /** Runs the program to its end, or kills it after {@code timeout}. */
    public ProgramRun run(Map<String, String> environment, Duration timeout) {
        return start(environment).await(timeout);
    }

    /** Starts the program and returns at once, for graders that watch or kill it. */
    public RunningProgram start(Map<String, String> environment) {
        List<Path> classpath = new ArrayList<>();
        classpath.add(classes);
        classpath.addAll(ExerciseClasspath.entries());
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.addAll(source.javaOptions());
        List<String> command = JavaProcess.command(options, classpath, classes.resolve("classpath.args"), source.mainClass(), List.of());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(stackEnvironment);
        builder.environment().putAll(environment);
        try {
            return new RunningProgram(name(), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a JVM for " + name(), e);
        }
    }
}
