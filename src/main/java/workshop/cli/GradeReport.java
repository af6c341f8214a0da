package workshop.cli;

import picocli.CommandLine.Help.Ansi;
import workshop.grading.CheckResult;
import workshop.grading.CompilationFailure;
import workshop.grading.GradeResult;
import workshop.grading.GradingFailure;
import workshop.stack.StackException;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link GradeResult} for a learner: one line per check, and for each failed check what
 * was expected, what happened and a hint. Never a stack trace (set WORKSHOP_DEBUG=1 to see them).
 */
public final class GradeReport {

    private final Ansi ansi;
    private final Symbols symbols;

    public GradeReport(Ansi ansi) {
        this.ansi = ansi;
        this.symbols = Symbols.forTerminal();
    }

    /** Plain text, for logs and test failures. */
    public static String plain(GradeResult result, String title) {
        return new GradeReport(Ansi.OFF).render(result, title);
    }

    public String render(GradeResult result, String title) {
        List<String> lines = new ArrayList<>();
        lines.add(ansi.string("@|bold " + escape(title) + "|@"));
        if (result.setupFailure() != null) {
            lines.add("  " + ansi.string("@|red " + symbols.fail + "|@ ") + escape(headline(result.setupFailure())));
            details(result.setupFailure(), lines);
        }
        for (CheckResult check : result.checks()) {
            switch (check.status()) {
                case PASSED -> lines.add("  " + ansi.string("@|green " + symbols.pass + "|@ ") + escape(check.name()));
                case NOT_RUN -> lines.add("  " + ansi.string("@|faint " + symbols.notRun + " " + escape(check.name()) + " (not checked)|@"));
                case FAILED -> {
                    lines.add("  " + ansi.string("@|red " + symbols.fail + "|@ ") + escape(check.name()));
                    lines.add("      " + escape(headline(check.failure())));
                    details(check.failure(), lines);
                }
            }
            check.notes().forEach(note -> lines.add(ansi.string("      @|cyan " + escape(note) + "|@")));
        }
        String took = String.format(" (graded in %.1f s)", result.took().toMillis() / 1000.0);
        if (result.passed()) {
            lines.add(ansi.string("@|green,bold All " + result.checks().size() + " checks pass.|@") + took);
        } else if (result.setupFailure() == null) {
            lines.add(ansi.string("@|yellow " + result.passedCount() + " of " + result.checks().size() + " checks pass.|@") + took);
        }
        return String.join(System.lineSeparator(), lines);
    }

    private void details(Throwable failure, List<String> lines) {
        if (failure instanceof GradingFailure grading) {
            if (grading.expected() != null) {
                lines.add("      expected: " + escape(indentContinuation(grading.expected())));
            }
            if (grading.actual() != null) {
                String label = grading instanceof CompilationFailure ? "compiler: " : "actual:   ";
                lines.add("      " + label + escape(indentContinuation(grading.actual())));
            }
            if (grading.hint() != null) {
                lines.add(ansi.string("      @|cyan hint:|@     " + escape(grading.hint())));
            }
        }
        if (System.getenv("WORKSHOP_DEBUG") != null && !(failure instanceof GradingFailure)) {
            java.io.StringWriter trace = new java.io.StringWriter();
            failure.printStackTrace(new java.io.PrintWriter(trace));
            lines.add(trace.toString());
        }
    }

    /** One line about what went wrong: a grader's summary, or an unexpected error's message. */
    private static String headline(Throwable failure) {
        if (failure instanceof GradingFailure grading) {
            return grading.summary();
        }
        if (failure instanceof StackException) {
            return failure.getMessage();
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage().lines().findFirst().orElse("");
        return "The grader could not finish: " + failure.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static String indentContinuation(String text) {
        return text.replace("\n", "\n                ");
    }

    /** picocli markup uses @| and |@; learners' output may contain them. */
    private static String escape(String text) {
        return text.replace("@|", "@ |").replace("|@", "| @");
    }

    /** Check marks where the terminal can show them, ASCII elsewhere (old Windows consoles). */
    private record Symbols(String pass, String fail, String notRun) {
        static Symbols forTerminal() {
            boolean unicode = java.nio.charset.Charset.defaultCharset().name().toUpperCase().contains("UTF");
            return unicode ? new Symbols("✓", "✗", "·") : new Symbols("+", "x", "-");
        }
    }
}
