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

    /**
     * Fails unless the two are equal. When they differ only in type (the number 5 and the text
     * "5" both print as 5), the message shows each value's type, or expected and actual would
     * read the same.
     */
    public static void equal(String problem, Object expected, Object actual, String hint) {
        if (!Objects.equals(expected, actual)) {
            String wanted = String.valueOf(expected);
            String got = String.valueOf(actual);
            if (wanted.equals(got)) {
                wanted = typed(expected);
                got = typed(actual);
            }
            throw new GradingFailure(problem, wanted, got, hint);
        }
    }

    /** A value with the type of each part, e.g. {@code {stars=5 (String)}} or {@code 5 (Integer)}. */
    static String typed(Object value) {
        if (value instanceof java.util.Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + typed(e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof java.util.Collection<?> items) {
            return items.stream().map(Expect::typed).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
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
