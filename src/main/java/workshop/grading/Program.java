package workshop.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Runs the program to its end, or kills it after {@code timeout}. */
    public ProgramRun run(Map<String, String> environment, Duration timeout) {
        return start(environment).await(timeout);
    }

    /** Starts the program and returns at once, for graders that watch or kill it. */
    public RunningProgram start(Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(source.javaOptions());
        command.add("@" + classpathArgumentFile());
        command.add(source.mainClass());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(stackEnvironment);
        builder.environment().putAll(environment);
        try {
            return new RunningProgram(name(), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a JVM for " + name(), e);
        }
    }

    /** The classpath goes in an argument file: on Windows it would overflow a command line. */
    private Path classpathArgumentFile() {
        Path file = classes.resolve("classpath.args");
        if (!Files.exists(file)) {
            String classpath = classes + java.io.File.pathSeparator + ExerciseClasspath.asString();
            String quoted = "\"" + classpath.replace("\\", "\\\\") + "\"";
            try {
                Files.writeString(file, "-classpath " + quoted + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
