package workshop.grading;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import workshop.stack.MachinePace;

/**
 * An exercise running in a JVM of its own. Graders wait for it to end, or watch its output and
 * kill it mid-way (to show what a crash does). Every program still running when this JVM exits
 * is killed, so Ctrl-C never leaves one behind.
 */
public final class RunningProgram {

    private static final int MAX_LINES = 20_000;
    /** A program silent this long (stretched on a busy machine) after its deadline is stopped. */
    private static final Duration QUIET_BEFORE_STOP = Duration.ofSeconds(3);
    /** How long a program may run on after printing the last line a grader waits for (it closes its clients). */
    private static final Duration AFTER_LAST_LINE = Duration.ofSeconds(3); // a reader closes in well under a second
    /** How many times its deadline a program that keeps printing may run. */
    private static final int PROGRESS_ALLOWANCE = 3;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Process process;
    private final long startedAt = System.nanoTime();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    /** When the program last printed a line (stdout or stderr): a program that still prints is still working. */
    private volatile long lastOutputAt = System.nanoTime();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    RunningProgram(String name, Process process) {
        this(name, process, line -> { });
    }

    /** @param onLine gets each line the program prints (standard output and error), as it comes */
    RunningProgram(String name, Process process, Consumer<String> onLine) {
        this.name = name;
        this.process = process;
        LIVE.add(process);
        this.stdoutReader = pump(process.getInputStream(), stdout, name + "-stdout", onLine);
        this.stderrReader = pump(process.getErrorStream(), stderr, name + "-stderr", onLine);
    }

    private Thread pump(InputStream stream, List<String> into, String threadName, Consumer<String> onLine) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lastOutputAt = System.nanoTime();
                    synchronized (into) {
                        if (into.size() < MAX_LINES) {
                            into.add(line);
                        }
                        into.notifyAll();
                    }
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // The process ended or was killed: what was read stays.
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Waits for the program to end; kills it once {@code timeout} (stretched on a busy machine,
     * see {@link MachinePace}) has passed and it has printed nothing for a while. A program that
     * keeps printing is still working and gets up to {@link #PROGRESS_ALLOWANCE} times as long.
     */
    public ProgramRun await(Duration timeout) {
        return await(timeout, null);
    }

    /**
     * As {@link #await(Duration)}, for a program whose last line the grader knows (a reader's last
     * record, say): once it printed that line, it has {@link #AFTER_LAST_LINE} (stretched on a busy
     * machine) to end, instead of the rest of its deadline. A correct program ends right after
     * it; one that keeps polling is told so in seconds.
     *
     * @param lastLine the line after which it should end; null when no line tells
     */
    public ProgramRun await(Duration timeout, Predicate<String> lastLine) {
        long limit = MachinePace.scale(timeout).toNanos();
        long quiet = MachinePace.scale(QUIET_BEFORE_STOP).toNanos();
        long afterLastLine = MachinePace.scale(AFTER_LAST_LINE).toNanos();
        boolean ended = false;
        boolean watching = lastLine != null; // for the last line, not yet printed
        boolean printedLastLine = false;
        int seen = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                long ran = now - startedAt;
                if (watching) {
                    synchronized (stdout) {
                        for (; seen < stdout.size() && !printedLastLine; seen++) {
                            printedLastLine = lastLine.test(stdout.get(seen));
                        }
                    }
                    if (printedLastLine) {
                        limit = Math.min(limit, ran + afterLastLine);
                        watching = false;
                    }
                }
                boolean printing = now - lastOutputAt < quiet;
                // After its last line, printing more is no progress: it should be ending.
                if (ran >= limit && (!printing || printedLastLine || ran >= limit * PROGRESS_ALLOWANCE)) {
                    break;
                }
                long wait = ran < limit ? limit - ran : Math.min(quiet - (now - lastOutputAt), limit * PROGRESS_ALLOWANCE - ran);
                if (watching) {
                    wait = Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)); // look at its output again soon
                }
                if (process.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), TimeUnit.MILLISECONDS)) {
                    ended = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!ended) {
            kill();
        }
        joinReaders();
        LIVE.remove(process);
        Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
        return new ProgramRun(name, ended ? process.exitValue() : -1, !ended, took, stdoutLines(), stderrLines());
    }

    /**
     * Waits until a line of standard output matches, e.g. "processed offset 12".
     *
     * @return true when such a line came, false when the program ended or the time ran out first
     */
    public boolean awaitOutput(Predicate<String> line, Duration timeout) {
        long deadline = System.nanoTime() + MachinePace.scale(timeout).toNanos();
        synchronized (stdout) {
            int seen = 0;
            while (true) {
                for (; seen < stdout.size(); seen++) {
                    if (line.test(stdout.get(seen))) {
                        return true;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !stdoutReader.isAlive())) {
                    return false;
                }
                try {
                    stdout.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Kills the program at once, like a crash or {@code kill -9}: no shutdown hooks, no clean close. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /**
     * Asks the program to stop, as Ctrl-C does (its shutdown hooks run: a Kafka Streams application
     * closes cleanly), and kills it if it has not ended after {@code grace}.
     */
    public void stop(Duration grace) {
        workshop.JavaProcess.stop(process.toHandle(), grace);
        LIVE.remove(process);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> stdoutLines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    public List<String> stderrLines() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    private void joinReaders() {
        try {
            stdoutReader.join(2_000);
            stderrReader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
