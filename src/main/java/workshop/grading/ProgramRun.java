package workshop.grading;

import workshop.stack.MachinePace;
import workshop.stack.StackException;

import java.time.Duration;
import java.util.List;

/**
 * What happened when an exercise ran to its end (or was stopped).
 *
 * @param exitCode the process's exit code; meaningless when {@code timedOut}
 * @param timedOut the program did not finish in time and was killed
 */
public record ProgramRun(String program, int exitCode, boolean timedOut, Duration took, List<String> stdout, List<String> stderr) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /**
     * Checks that the program ended by itself, without error.
     *
     * @param whenTimedOut the hint to give when it ran until killed, e.g. how it should stop
     */
    public void expectSuccess(String whenTimedOut) {
        if (timedOut) {
            throw Expect.fail(program + " did not finish within " + took.toSeconds() + " s and was stopped"
                            + (MachinePace.busy() ? " (" + MachinePace.describe() + ")" : ""),
                    "the program ends by itself", "still running; last output: " + tail(stdout, 3), whenTimedOut);
        }
        if (exitCode != 0 && brokerTooSlow()) {
            throw new StackException(program + " stopped because the broker did not answer it in time: this machine is too slow "
                    + "or too busy right now (" + MachinePace.describe() + "), which says nothing about your code. "
                    + "Close what you can and grade again. The program said: " + firstLine(timeouts()));
        }
        if (exitCode != 0) {
            throw Expect.fail(program + " failed (exit code " + exitCode + ")",
                    "exit code 0", "exit code " + exitCode + "\n" + excerpt(stderr.isEmpty() ? stdout : stderr),
                    "Read the error above: the first line that names your file is where to look.");
        }
    }

    /**
     * The program failed on a Kafka client timeout while the machine is busy: the broker, not the
     * learner's code, was too slow (a learner's own short timeout on a quiet machine still fails).
     */
    public boolean brokerTooSlow() {
        return !timedOut && exitCode != 0 && MachinePace.busy() && !timeouts().isEmpty();
    }

    private List<String> timeouts() {
        return stderr.stream().filter(line -> line.contains("org.apache.kafka.common.errors.TimeoutException")).toList();
    }

    private static String firstLine(List<String> lines) {
        return lines.isEmpty() ? "" : lines.get(0).strip();
    }

    /**
     * What a learner needs of a crash: the exception and its causes, and the lines of the
     * program's own file in the stack trace (not the last lines, which are often "... 9 more").
     */
    private String excerpt(List<String> lines) {
        List<String> picked = new java.util.ArrayList<>();
        for (String line : lines) {
            String text = line.strip();
            boolean ownLine = text.startsWith("at ") && text.contains("(" + program + ":");
            boolean exception = !text.startsWith("at ") && !text.startsWith("...")
                    && (text.startsWith("Caused by:") || text.contains("Exception") || text.contains("Error"));
            if ((ownLine || exception) && picked.size() < 12) {
                picked.add(ownLine ? "  " + text : shorten(text));
            }
        }
        return picked.isEmpty() ? tail(lines, 12) : String.join("\n", picked);
    }

    private static String tail(List<String> lines, int count) {
        if (lines.isEmpty()) {
            return "(nothing)";
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /** "Exception in thread "main" java.lang.NullPointerException: ... "org.apache...RecordMetadata.topic()"" without the noise, so it fits a line. */
    private static String shorten(String exceptionLine) {
        return exceptionLine.replaceFirst("^Exception in thread \"[^\"]*\" ", "")
                .replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z])", "$1");
    }
}
