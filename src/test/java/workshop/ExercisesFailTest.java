package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import workshop.manifest.Exercise;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every exercise, as shipped, compiles and fails its grader: a learner starts from code that
 * builds and is told what is missing, and no grader passes an unsolved exercise.
 */
class ExercisesFailTest {

    @TestFactory
    Stream<DynamicTest> everyShippedExerciseFailsItsGrader() {
        List<Grading.Job> jobs = Grading.exercises().stream()
                .map(exercise -> new Grading.Job("exercise", exercise, exercise.exerciseFile(Grading.ROOT))).toList();
        List<GradeResult> results = Grading.gradeAll(jobs);
        return IntStream.range(0, jobs.size()).mapToObj(i -> dynamicTest(jobs.get(i).exercise().id() + " as shipped fails", () -> {
            Exercise exercise = jobs.get(i).exercise();
            Grading.assumeGradable(exercise);
            GradeResult result = results.get(i);
            assertNull(result.setupFailure(), () -> "The shipped exercise must compile and run:\n" + Grading.report(exercise, result));
            assertTrue(result.failedChecks(), () -> "The grader passes the unsolved exercise:\n" + Grading.report(exercise, result));
        }));
    }
}
