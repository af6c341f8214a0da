package workshop.grading;

/**
 * One check of a grader, as the learner sees it.
 *
 * @param failure why it failed; null when it passed or did not run
 */
public record CheckResult(String name, Status status, Throwable failure) {

    public enum Status { PASSED, FAILED, NOT_RUN }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
