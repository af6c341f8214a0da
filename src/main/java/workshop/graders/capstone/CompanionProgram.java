package workshop.graders.capstone;

import workshop.WorkshopRoot;
import workshop.grading.Program;
import workshop.grading.RunningProgram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Another exercise of the capstone that runs beside the one graded, e.g. the learner's notifier
 * beside the learner's pipeline: the file next to the graded one, or the reference solution when
 * there is none (a mistake graded from a scratch folder). Killed when the grading ends.
 */
public final class CompanionProgram implements AutoCloseable {

    /** Kafka's own warnings (unnamed state stores, ...) would drown the program's lines. */
    private static final List<String> QUIET_KAFKA = List.of("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error");
    private static final int MAX_LINES = 5_000;
    /** How long a stopped program may take to close (a Kafka Streams application commits and closes its stores). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path file;
    private final List<String> output;
    private final RunningProgram program;

    private CompanionProgram(Path file, List<String> output, RunningProgram program) {
        this.file = file;
        this.output = output;
        this.program = program;
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
        List<String> output = new ArrayList<>(); // both streams, in the order the lines came
        Consumer<String> keep = line -> {
            synchronized (output) {
                if (output.size() < MAX_LINES) {
                    output.add(line);
                }
            }
            onLine.accept(line);
        };
        RunningProgram program = Program.compile(file, Path.of("").toAbsolutePath()).start(environment, QUIET_KAFKA, keep);
        return new CompanionProgram(file, output, program);
    }

    public Path file() {
        return file;
    }

    public boolean isAlive() {
        return program.isAlive();
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
        program.stop(STOP_GRACE);
    }

    @Override
    public void close() {
        program.kill();
    }
}
