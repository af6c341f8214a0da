package workshop.grading;

import java.util.Objects;

/**
 * Checks that fail with a {@link GradingFailure}: a sentence about what is wrong, the expected
 * and actual values, and a hint.
 *
 * <pre>{@code
 * Expect.equal("Not every rating reached the topic", ratings.size(), records.size(),
 *         "Call producer.flush() or close the producer before main returns.");
 * }</pre>
 */
public final class Expect {

    private Expect() {
    }

    public static void equal(String problem, Object expected, Object actual, String hint) {
        if (!Objects.equals(expected, actual)) {
            throw new GradingFailure(problem, String.valueOf(expected), String.valueOf(actual), hint);
        }
    }

    public static void isTrue(boolean condition, String problem, String expected, String actual, String hint) {
        if (!condition) {
            throw new GradingFailure(problem, expected, actual, hint);
        }
    }

    public static GradingFailure fail(String problem, String expected, String actual, String hint) {
        return new GradingFailure(problem, expected, actual, hint);
    }
}
