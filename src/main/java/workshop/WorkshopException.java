package workshop;

/**
 * A problem the learner can fix, told in one line that says how. The runner prints the message
 * alone, no stack trace, and exits non-zero.
 */
public class WorkshopException extends RuntimeException {
    public WorkshopException(String message) {
        super(message);
    }

    public WorkshopException(String message, Throwable cause) {
        super(message, cause);
    }
}
