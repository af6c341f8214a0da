package workshop.grading;

import org.junit.jupiter.api.extension.ExtensionContext;
import workshop.stack.BrokerControl;
import workshop.stack.Endpoints;
import workshop.stack.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A grader's tools for one grading: the program under test, the broker, names of its own and
 * scratch files. Everything it opens is closed when the grader class ends.
 */
public final class Workbench implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** The library of Kafka's command line tools, the classpath of {@link #startTool}. */
    private static final List<String> KAFKA_TOOLS = List.of("org.apache.kafka:kafka-tools");

    private final GradingSession session;
    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final CompletableFuture<Path> classes;
    private Program program;
    private Broker broker;
    private Broker cluster;
    private Path scratch;
    private final java.util.Deque<Runnable> cleanups = new java.util.ArrayDeque<>();

    /** Starts compiling the target at once: it overlaps with the stack's start and the grader's setup. */
    Workbench(GradingSession session) {
        this.session = session;
        this.classes = session.target().toString().endsWith(".java")
                ? CompletableFuture.supplyAsync(() -> ExerciseCompiler.compile(ExerciseSource.read(session.target())))
                : CompletableFuture.failedFuture(new IllegalStateException(session.target() + " is not a Java program")); // .sql: ksqlDB runs it
    }

    /** The file being graded. */
    public Path target() {
        return session.target();
    }

    public Endpoints endpoints() {
        return session.stack().endpoints();
    }

    /**
     * The exercise compiled and ready to run.
     *
     * @throws CompilationFailure when it does not compile
     */
    public synchronized Program program() {
        if (program == null) {
            Path compiled;
            try {
                compiled = classes.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause; // CompilationFailure: the report shows the compiler's messages
                }
                throw e;
            }
            program = new Program(ExerciseSource.read(session.target()), compiled, endpoints().environment(), session.root());
        }
        return program;
    }

    /** The 3-broker cluster of the stack (modules whose services include kafka-cluster). */
    public synchronized Broker cluster() {
        if (cluster == null) {
            String bootstrap = endpoints().address(Service.KAFKA_CLUSTER);
            if (bootstrap == null) {
                throw new IllegalStateException("The 3-broker cluster is not running: add kafka-cluster to the module's services");
            }
            cluster = new Broker(bootstrap, endpoints().kafkaClient());
        }
        return cluster;
    }

    /** Stopping and starting brokers of the 3-broker cluster, where the stack allows it. */
    public Optional<BrokerControl> brokerControl() {
        return session.stack().brokerControl();
    }

    /** The single broker of the stack. */
    public synchronized Broker broker() {
        if (broker == null) {
            broker = new Broker(endpoints().bootstrapServers(), endpoints().kafkaClient());
        }
        return broker;
    }

    /**
     * A name no other grading uses, e.g. {@code ratings-4f2a9c}: graders isolate themselves by
     * names (topics, groups), never by restarting the stack.
     */
    public String name(String base) {
        return workshop.room.Learner.prefix() + base + "-" + suffix; // room mode: the learner's namespace
    }

    /** A path for a file of this grading's own, e.g. input data for the exercise. */
    public synchronized Path scratchFile(String fileName) {
        if (scratch == null) {
            scratch = Scratch.newFolder("grading-");
        }
        return scratch.resolve(fileName);
    }

    public Path writeScratchFile(String fileName, String content) {
        Path file = scratchFile(fileName);
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ratings as the exercises read them (data/ratings.jsonl's format: one JSON document per line), in a file of this grading's own. */
    public Path writeRatingsFile(java.util.List<workshop.data.Rating> ratings) {
        return writeScratchFile("ratings.jsonl",
                String.join("\n", ratings.stream().map(workshop.data.Rating::toJson).toList()) + "\n");
    }

    /**
     * Runs one of Kafka's command line tools in a JVM of its own, as a learner would from a shell,
     * e.g. {@code runTool("org.apache.kafka.tools.ProducerPerformance", List.of("--topic", t, ...), Duration.ofSeconds(40))}.
     * Its deadline grows on a busy machine, as a program's does.
     */
    public ProgramRun runTool(String mainClass, List<String> args, Duration timeout) {
        return startTool(mainClass, args).await(timeout);
    }

    /** Starts one of Kafka's tools and returns at once, for graders that watch it. */
    public RunningProgram startTool(String mainClass, List<String> args) {
        // Kafka's tools are a library of their own: org.apache.kafka:kafka-tools and what it needs.
        String toolName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        try {
            Process process = Program.startJvm(ExerciseClasspath.jarsFor(KAFKA_TOOLS), List.of(), List.of(), scratchFile(toolName + ".args"), mainClass, args,
                    scratchFile(""), java.util.Map.of());
            return new RunningProgram(toolName, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + toolName, e);
        }
    }

    /**
     * Something to undo when this grading ends (a connector, a table row, a topic), done in reverse
     * order of registration even when a check failed; a failing action does not stop the others.
     */
    public synchronized void onClose(Runnable action) {
        cleanups.push(action);
    }

    /**
     * A topic of this grading's own, e.g. {@code topic("ratings", 3)} creates {@code ratings-4f2a9c}
     * with 3 partitions and deletes it when the grading ends.
     */
    public String topic(String base, int partitions) {
        String topic = name(base);
        broker().createTopic(topic, partitions);
        onClose(() -> broker().admin().deleteTopics(List.of(topic)));
        return topic;
    }

    /**
     * A bootstrap address where no broker answers (a port just closed): for error paths, a
     * program given it must fail with a clear message and a non-zero exit, not hang or claim success.
     */
    public String unreachableBootstrapServers() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "localhost:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException e) {
                // Undo the rest anyway: a half-cleaned grading leaves less behind than an aborted one.
            }
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
        if (scratch != null) {
            // Kafka Streams' state stores and tools' files: a stack's JVM grades all day long.
            org.apache.commons.io.FileUtils.deleteQuietly(scratch.toFile());
            scratch = null;
        }
    }
}
