package workshop.grading;

import workshop.JavaProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A compiled exercise, ready to run in JVMs of its own, each with the stack's addresses in its
 * environment ({@code BOOTSTRAP_SERVERS}, ...) plus whatever the grader adds (topic names).
 */
public final class Program {

    /**
     * Small, fast-starting JVMs: exercises (and Kafka's tools, see Workbench.runTool) are short
     * programs. One compiler thread and no perf-data file (nobody attaches jcmd to a graded run;
     * a killed JVM's file would stay in the temp folder): 0.51 instead of 0.57-0.62 CPU-s for
     * a producer's whole run (scripts/benchmark.sh).
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto", "-Xmx256m",
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

    /**
     * Runs the program to its end, or kills it after {@link #DEFAULT_TIMEOUT} (stretched on a busy
     * machine, and longer while it still prints: see {@link RunningProgram#await}).
     */
    public ProgramRun run(Map<String, String> environment) {
        return run(environment, DEFAULT_TIMEOUT);
    }

    /** Runs the program to its end, or kills it after {@code timeout}. */
    public ProgramRun run(Map<String, String> environment, Duration timeout) {
        return start(environment).await(timeout);
    }

    /**
     * Runs the program to its end; once it printed {@code lastLine} it has a few seconds left to
     * end (see {@link RunningProgram#await(Duration, java.util.function.Predicate)}).
     */
    public ProgramRun run(Map<String, String> environment, java.util.function.Predicate<String> lastLine) {
        return start(environment).await(DEFAULT_TIMEOUT, lastLine);
    }

    /**
     * Calls a static method of the exercise that returns its client configuration, e.g.
     * {@code static Properties producerConfig()}, so a grader can judge settings that leave no
     * trace on the broker (acks, say). The class is loaded apart, in a class loader of its own.
     *
     * @return the configuration as string keys and values
     * @throws GradingFailure when the method is missing or fails
     */
    public Map<String, String> configFrom(String method) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Program.class.getClassLoader())) {
            Method getter = loader.loadClass(source.mainClass()).getDeclaredMethod(method);
            getter.setAccessible(true);
            Object config = getter.invoke(null);
            Map<String, String> result = new TreeMap<>();
            if (config instanceof Map<?, ?> map) {
                map.forEach((k, v) -> result.put(String.valueOf(k), v instanceof Class<?> c ? c.getName() : String.valueOf(v)));
            }
            return result;
        } catch (NoSuchMethodException e) {
            throw Expect.fail(name() + " has no method " + method + "()", "static Properties " + method + "() { ... }", "none",
                    "Keep the method the exercise came with: the grader reads your configuration from it.");
        } catch (InvocationTargetException e) {
            throw Expect.fail(method + "() failed", "a configuration", String.valueOf(e.getCause()), "Run the program to see the error.");
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("Cannot read " + method + "() of " + name(), e);
        }
    }

    /** Starts the program and returns at once, for graders that watch or kill it. */
    public RunningProgram start(Map<String, String> environment) {
        return start(environment, List.of(), line -> { });
    }

    /**
     * Starts the program with more JVM options, and hands each line it prints to {@code onLine}
     * as it comes (the pipeline command shows them).
     */
    public RunningProgram start(Map<String, String> environment, List<String> jvmOptions, Consumer<String> onLine) {
        Map<String, String> all = new java.util.HashMap<>(stackEnvironment);
        all.putAll(environment);
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(source.javaOptions()); // the file's own //JAVA_OPTIONS come last: they win
        try {
            Process process = startJvm(ExerciseClasspath.jarsFor(source.deps()), List.of(classes), options, classes.resolve("classpath.args"),
                    source.mainClass(), List.of(), workingDirectory, all);
            return new RunningProgram(name(), process, onLine);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a JVM for " + name(), e);
        }
    }

    /**
     * A program outside a grading's workbench (the capstone's other half, beside the one graded;
     * the pipeline command): compiled from its file, run with only the environment given to start.
     *
     * @throws CompilationFailure when it does not compile
     */
    public static Program compile(Path file, Path workingDirectory) {
        ExerciseSource source = ExerciseSource.read(file);
        return new Program(source, ExerciseCompiler.compile(source), Map.of(), workingDirectory);
    }

    /**
     * Starts a small JVM on library jars, then {@code after} (a program's own classes), with the
     * library classes shared with the other JVMs on the same jars (SharedClasses) and RocksDB's
     * native library unpacked once for all of them (RocksDbLibrary): exercises and Kafka's tools.
     */
    static Process startJvm(List<Path> jars, List<Path> after, List<String> moreOptions, Path argFile, String mainClass, List<String> args,
                            Path workingDirectory, Map<String, String> environment) throws IOException {
        // The libraries first, the same for every program that declares them, so their classes can be shared.
        List<Path> classpath = new ArrayList<>(jars);
        classpath.addAll(after);
        SharedClasses.Use sharing = SharedClasses.forClasspath(jars);
        List<String> options = new ArrayList<>(JVM_OPTIONS);
        options.addAll(sharing.options());
        options.addAll(RocksDbLibrary.jvmOptions());
        options.addAll(moreOptions);
        ProcessBuilder builder = new ProcessBuilder(JavaProcess.command(options, classpath, argFile, mainClass, args))
                .directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        sharing.watch(process);
        return process;
    }
}
