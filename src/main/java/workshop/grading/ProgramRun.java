package workshop.grading;

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
            throw Expect.fail(program + " did not finish within " + took.toSeconds() + " s and was stopped",
                    "the program ends by itself", "still running; last output: " + tail(stdout, 3), whenTimedOut);
        }
        if (exitCode != 0) {
            throw Expect.fail(program + " failed (exit code " + exitCode + ")",
                    "exit code 0", "exit code " + exitCode + "\n" + indent(tail(stderr.isEmpty() ? stdout : stderr, 12)),
                    "Read the error above: the first line that names your file is where to look.");
        }
    }

    private static String tail(List<String> lines, int count) {
        if (lines.isEmpty()) {
            return "(nothing)";
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static String indent(String text) {
        return text.lines().map(l -> "            " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
