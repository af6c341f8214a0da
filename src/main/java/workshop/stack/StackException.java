package workshop.stack;

/**
 * A problem with the stack that the learner can fix, with a message that says how, in one line.
 * The runner prints the message alone (no stack trace) and exits non-zero.
 */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
