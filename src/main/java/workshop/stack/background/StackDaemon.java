package workshop.stack.background;

import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.embedded.EmbeddedStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;

/**
 * The background stack's process: starts the embedded stack on the documented ports, writes
 * {@link StackState} when ready, and runs until stopped ({@code stack down} sends it SIGTERM).
 * Its standard output goes to .workshop/logs/stack.log, where {@code stack up} follows it.
 *
 * <p>Ctrl-C while it starts stops it cleanly; once ready it ignores Ctrl-C and hang-ups, so the
 * stack outlives the terminal command that started it.
 */
public final class StackDaemon {

    /** The line that tells {@code stack up} the stack is ready. */
    static final String READY = "READY";
    /** Prefix of the line that tells {@code stack up} why the stack could not start. */
    static final String FAILED = "FAILED: ";
    /** Prefix of progress lines, which {@code stack up} shows (other lines are logging). */
    static final String PROGRESS = "stack: ";

    private StackDaemon() {
    }

    /** Arguments: the state folder, then the ids of the services to start. */
    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        Arrays.stream(args).skip(1).map(Service::fromId).forEach(services::add);

        Path dataDir = stateDir.resolve("stack").resolve("data");
        org.apache.commons.io.FileUtils.deleteQuietly(dataDir.toFile()); // every start begins with empty topics
        Files.createDirectories(dataDir);
        EmbeddedStack stack = new EmbeddedStack(dataDir, true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            StackState.delete(stateDir);
            stack.close();
            org.apache.commons.io.FileUtils.deleteQuietly(dataDir.toFile());
            stopped.countDown();
        }, "stack-shutdown"));

        Progress progress = line -> System.out.println(PROGRESS + line);
        try {
            stack.start(services, progress);
        } catch (StackException e) {
            System.out.println(FAILED + e.getMessage());
            System.exit(1);
        }
        StackState.of(ProcessHandle.current().pid(), stack.backend(), stack.endpoints()).write(stateDir);
        ignoreTerminalSignals();
        System.out.println(READY);
        stopped.await();
    }

    /** Once ready, Ctrl-C in the terminal that started the stack (or closing it) must not stop it. */
    private static void ignoreTerminalSignals() {
        for (String signal : new String[] {"INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // This platform has no such signal (HUP on Windows).
            }
        }
    }
}
