package workshop.grading;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of grading one file.
 *
 * @param setupFailure why no check could run (the file does not compile, the stack is down); else null
 */
public record GradeResult(String exerciseId, Path target, List<CheckResult> checks, Throwable setupFailure, Duration took) {

    public boolean passed() {
        return setupFailure == null && !checks.isEmpty() && checks.stream().allMatch(CheckResult::passed);
    }

    public long passedCount() {
        return checks.stream().filter(CheckResult::passed).count();
    }

    /** True when the file compiled and the grader ran but found something wrong. */
    public boolean failedChecks() {
        return setupFailure == null && checks.stream().anyMatch(c -> c.status() == CheckResult.Status.FAILED);
    }
}
