package workshop.stack.background;

import workshop.JavaProcess;
import workshop.grading.ExerciseClasspath;
import workshop.stack.MachinePace;
import workshop.stack.Ports;
import workshop.stack.Progress;
import workshop.stack.Reachability;
import workshop.stack.Service;
import workshop.stack.StackException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Starts and stops the background stack ({@code stack up}, {@code stack down}): a JVM of its own
 * running {@link StackDaemon}, on the documented ports, so that any Kafka client (a learner's
 * {@code ./jbang log1}, Kafka's own tools) finds it at localhost:9092.
 */
public final class BackgroundStack {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** Ctrl-C while starting: the learner waits for an answer, and nothing of a half-started stack is worth keeping. */
    private static final Duration ABORT_TIMEOUT = Duration.ofMillis(1500);
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx1g", "-XX:+UseSerialGC", "-Xss1m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller=error",
            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.test=error");

    private BackgroundStack() {
    }

    public static Path logFile(Path stateDir) {
        return stateDir.resolve("logs").resolve("stack.log");
    }

    /**
     * Starts the background stack with these services and returns once they answer.
     *
     * @throws StackException when it runs already, a port is taken, or a service fails to start
     */
    public static StackState start(Path stateDir, Set<Service> services, Progress progress) {
        Optional<StackState> running = StackState.readLive(stateDir);
        if (running.isPresent()) {
            throw new StackException("The workshop stack is already running (pid " + running.get().pid() + ", Kafka at "
                    + running.get().endpoints().bootstrapServers() + "). See ./jbang workshop stack status, or stop it with: ./jbang workshop stack down");
        }
        StackDaemon.stopOrphanedPostgres(stateDir); // a killed stack's database server would hold its port
        services.forEach(BackgroundStack::requirePortsFree);

        Path log = logFile(stateDir);
        // Ctrl-C while starting: stop the half-started stack at once (its data is thrown away on the
        // next start anyway), say what was stopped, leave no process and no state behind. The hook is
        // in place before the process exists, so no signal can fall between the two; should this JVM
        // die without hooks (kill -9), the stack sees its standard input close and stops.
        java.util.concurrent.atomic.AtomicReference<Process> started = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean launching = new java.util.concurrent.atomic.AtomicBoolean();
        String[] doing = {"starting"};
        Thread abort = new Thread(() -> {
            Process process = started.get();
            // A signal while ProcessBuilder.start() runs: the child may exist before start() returns it.
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (process == null && launching.get() && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    break;
                }
                process = started.get();
            }
            if (process != null && process.isAlive()) {
                abort(process.toHandle());
                StackState.delete(stateDir);
                System.err.println("Stopped the workshop stack (pid " + process.pid() + ") while " + doing[0]
                        + "; nothing of it is left running.");
                System.err.flush();
                Runtime.getRuntime().halt(130); // nothing else of this command has anything to say
            }
        }, "stack-start-abort");
        Runtime.getRuntime().addShutdownHook(abort);
        try {
            Process process;
            try {
                Files.createDirectories(log.getParent());
                Files.deleteIfExists(log);
                List<String> args = new ArrayList<>();
                args.add(stateDir.toAbsolutePath().toString());
                services.forEach(s -> args.add(s.id()));
                List<String> command = JavaProcess.command(JVM_OPTIONS, ExerciseClasspath.entries(),
                        stateDir.resolve("stack").resolve("classpath.args"), StackDaemon.class.getName(), args);
                launching.set(true);
                process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.PIPE) // the stack watches it: see StackDaemon
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                started.set(process);
            } catch (IOException e) {
                launching.set(false);
                throw new UncheckedIOException("Cannot start the stack's JVM", e);
            }
            try {
                follow(process, log, line -> {
                    if (line.endsWith("...")) { // "Starting Kafka Connect..." -> "starting Kafka Connect"
                        doing[0] = Character.toLowerCase(line.charAt(0)) + line.substring(1, line.length() - 3);
                    }
                    progress.report(line);
                });
            } catch (RuntimeException e) {
                stopProcess(process.toHandle());
                throw e;
            }
            // Ready: from now on the stack outlives this command; its standard input closes with this JVM.
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(abort);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook runs anyway.
            }
        }
        return StackState.readLive(stateDir).orElseThrow(() -> new StackException(
                "The stack said it was ready but left no state; see " + log));
    }

    private static void requirePortsFree(Service service) {
        Ports port = Ports.of(service);
        for (int number : port.numbers()) {
            if (!Reachability.portFree(number)) {
                throw new StackException("Port " + number + " (" + service.title() + ") is already in use by another program"
                        + (service == Service.KAFKA ? " (another Kafka, or the docker-compose stack?)" : "")
                        + ". Stop it, or choose another port: " + port.variable() + "=<port> ./jbang workshop stack up");
            }
        }
    }

    /** Shows the daemon's progress lines until it says READY, fails, or dies. */
    private static void follow(Process process, Path log, Progress progress) {
        Duration startWithin = MachinePace.scale(START_TIMEOUT); // longer on a loaded machine
        long deadline = System.nanoTime() + startWithin.toNanos();
        LogFollower follower = new LogFollower(log);
        while (true) {
            boolean alive = process.isAlive();
            for (String line : follower.newLines()) {
                if (line.equals(StackDaemon.READY)) {
                    return;
                }
                if (line.startsWith(StackDaemon.FAILED)) {
                    throw new StackException(line.substring(StackDaemon.FAILED.length()));
                }
                if (line.startsWith(StackDaemon.PROGRESS)) {
                    progress.report(line.substring(StackDaemon.PROGRESS.length()));
                }
            }
            if (!alive) {
                throw new StackException("The stack stopped while starting (exit code " + process.exitValue() + "); see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("The stack did not start within " + startWithin.toSeconds() + " s; see " + log);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("Interrupted while the stack was starting");
            }
        }
    }

    /** Reads the lines a growing file gains, a complete line at a time. */
    private static final class LogFollower {
        private final Path file;
        private final StringBuilder partial = new StringBuilder();
        private long position;

        LogFollower(Path file) {
            this.file = file;
        }

        List<String> newLines() {
            List<String> lines = new ArrayList<>();
            if (!Files.exists(file)) {
                return lines;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                if (in.length() <= position) {
                    return lines;
                }
                in.seek(position);
                byte[] bytes = new byte[(int) (in.length() - position)];
                in.readFully(bytes);
                position += bytes.length;
                partial.append(new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                lines.add(partial.substring(0, newline).stripTrailing());
                partial.delete(0, newline + 1);
            }
            return lines;
        }
    }

    /**
     * Stops the background stack if one runs.
     *
     * @return false when none was running
     */
    public static boolean stop(Path stateDir) {
        Optional<StackState> state = StackState.readLive(stateDir);
        if (state.isEmpty()) {
            StackDaemon.stopOrphanedPostgres(stateDir);
            return false;
        }
        state.get().process().ifPresent(BackgroundStack::stopProcess);
        StackState.delete(stateDir);
        return true;
    }

    /** Stops a stack that was interrupted while it started: a short polite stop, then a forced one. */
    private static void abort(ProcessHandle process) {
        workshop.JavaProcess.stop(process, ABORT_TIMEOUT);
    }

    /** A polite stop first (the stack closes its services), a forced one if that takes too long. */
    private static void stopProcess(ProcessHandle process) {
        workshop.JavaProcess.stop(process, STOP_TIMEOUT);
    }
}
