package workshop.stack;

import workshop.WorkshopException;

/** A problem with the stack (a port taken, no broker answering), told in one line that says how to fix it. */
public class StackException extends WorkshopException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
