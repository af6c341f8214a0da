package workshop.graders.capstone;

import workshop.JavaProcess;
import workshop.WorkshopRoot;
import workshop.grading.ExerciseClasspath;
import workshop.grading.ExerciseCompiler;
import workshop.grading.ExerciseSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Another exercise of the capstone that runs beside the one graded, e.g. the learner's notifier
 * beside the learner's pipeline: the file next to the graded one, or the reference solution when
 * there is none (a mistake graded from a scratch folder). Killed when the grading ends.
 */
public final class CompanionProgram implements AutoCloseable {

    private final Path file;
    private final Process process;
    private final List<String> output = new ArrayList<>();

    private final Consumer<String> onLine;

    private CompanionProgram(Path file, Process process, Consumer<String> onLine) {
        this.file = file;
        this.process = process;
        this.onLine = onLine;
        pump(process.getInputStream());
        pump(process.getErrorStream());
    }

    /** The file named {@code fileName} next to {@code graded}, or the solution's. */
    public static Path besides(Path graded, String fileName) {
        Path sibling = graded.resolveSibling(fileName);
        if (Files.isRegularFile(sibling)) {
            return sibling;
        }
        return WorkshopRoot.find().resolve("solutions/13-capstone").resolve(fileName);
    }

    public static CompanionProgram start(Path file, Map<String, String> environment) {
        return start(file, environment, line -> { });
    }

    /** Starts it, and passes each line it prints (standard output and error) to {@code onLine}. */
    public static CompanionProgram start(Path file, Map<String, String> environment, Consumer<String> onLine) {
        ExerciseSource source = ExerciseSource.read(file);
        Path classes = ExerciseCompiler.compile(source);
        List<Path> classpath = new ArrayList<>();
        classpath.add(classes);
        classpath.addAll(ExerciseClasspath.entries());
        // Kafka's own warnings (unnamed state stores, ...) would drown the program's lines.
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error"));
        options.addAll(source.javaOptions());
        List<String> command = JavaProcess.command(options, classpath, classes.resolve("classpath.args"), source.mainClass(), List.of());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new CompanionProgram(file, builder.start(), onLine);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + file, e);
        }
    }

    private void pump(InputStream stream) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        if (output.size() < 5_000) {
                            output.add(line);
                        }
                    }
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // ended
            }
        }, "companion-output");
        thread.setDaemon(true);
        thread.start();
    }

    public Path file() {
        return file;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The last lines of its output, for a message. */
    public String tail() {
        List<String> lines = output();
        return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Asks it to stop (its shutdown hooks run: a Streams app closes cleanly), kills it if it has not after 15 s. */
    public void stop() {
        process.destroy();
        try {
            if (process.waitFor(15, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
