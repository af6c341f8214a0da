package workshop.stack.background;

import java.io.PrintStream;

/**
 * Runs one of the runner's commands in the background stack's JVM, where the compiler, the
 * graders and Kafka's clients are loaded and warm already. The runner provides it (found with
 * {@link java.util.ServiceLoader}); the stack only carries the arguments and the output.
 */
public interface CommandHost {

    /** Runs the command and returns its exit code; what it prints goes to out and err. */
    int run(String[] args, PrintStream out, PrintStream err, boolean colours);
}
