package workshop.grading;

import java.util.List;

/**
 * One check of a grader, as the learner sees it.
 *
 * @param failure why it failed; null when it passed or did not run
 * @param notes   what the check measured, for the learner's information (e.g. a throughput),
 *                published by the grader through JUnit's {@code TestReporter}
 */
public record CheckResult(String name, Status status, Throwable failure, List<String> notes) {

    public CheckResult {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public enum Status { PASSED, FAILED, NOT_RUN }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
