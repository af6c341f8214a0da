package workshop.grading;

/**
 * A failed check, told the way a learner needs it: what was checked, what was expected, what
 * happened, and a hint. Graders throw it through {@link Expect}; the report prints its parts,
 * never a stack trace.
 */
public class GradingFailure extends AssertionError {

    private final String expected;
    private final String actual;
    private final String hint;

    public GradingFailure(String summary, String expected, String actual, String hint) {
        super(format(summary, expected, actual, hint));
        this.expected = expected;
        this.actual = actual;
        this.hint = hint;
    }

    public String summary() {
        String message = getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }

    public String hint() {
        return hint;
    }

    private static String format(String summary, String expected, String actual, String hint) {
        StringBuilder text = new StringBuilder(summary);
        if (expected != null) {
            text.append("\n  expected: ").append(expected);
        }
        if (actual != null) {
            text.append("\n  actual:   ").append(actual);
        }
        if (hint != null) {
            text.append("\n  hint:     ").append(hint);
        }
        return text.toString();
    }

    /** Graders' failures explain themselves; their stack trace would only hide the message. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
