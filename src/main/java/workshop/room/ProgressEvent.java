package workshop.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import workshop.grading.CheckResult;
import workshop.grading.CompilationFailure;
import workshop.grading.GradeResult;

/**
 * One grading, as the instructor's board sees it: who, which exercise, passed or the name of
 * the first check that failed, how many hints the learner had shown, when, how long it took.
 * The value of a record of {@link RoomSettings#PROGRESS_TOPIC}, as JSON; its key is the learner.
 *
 * @param check     the first failing check's name; null when it passed
 * @param reference true when the reference solution was graded (an instructor's pre-flight), not the learner's file
 */
public record ProgressEvent(String learner, String exercise, boolean passed, String check, int hints,
                            long time, long tookMillis, boolean reference) {

    /** The check a grading that could not start reports under, e.g. a file that does not compile. */
    public static final String DOES_NOT_COMPILE = "the file compiles";

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static ProgressEvent of(String learner, GradeResult result, int hints, long time, boolean reference) {
        return new ProgressEvent(learner, result.exerciseId(), result.passed(), result.passed() ? null : failingCheck(result),
                hints, time, result.took() == null ? 0 : result.took().toMillis(), reference);
    }

    private static String failingCheck(GradeResult result) {
        if (result.setupFailure() instanceof CompilationFailure) {
            return DOES_NOT_COMPILE;
        }
        if (result.setupFailure() != null) {
            return "the grading could start";
        }
        return result.checks().stream().filter(c -> c.status() == CheckResult.Status.FAILED)
                .map(CheckResult::name).findFirst().orElse("every check ran");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event in a record's value; empty for anything else a stray producer wrote to the topic. */
    public static java.util.Optional<ProgressEvent> fromJson(String json) {
        try {
            ProgressEvent event = JSON.readValue(json, ProgressEvent.class);
            return event.learner() == null || event.exercise() == null ? java.util.Optional.empty() : java.util.Optional.of(event);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
