package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;
import workshop.manifest.Exercise;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every exercise, as shipped, compiles and fails its grader: a learner starts from code that
 * builds and is told what is missing, and no grader passes an unsolved exercise.
 */
@org.junit.jupiter.api.Order(GradingPlan.LAST)
class ExercisesFailTest {

    @TestFactory
    Stream<DynamicTest> everyShippedExerciseFailsItsGrader() {
        return GradingPlan.of(GradingPlan.Kind.EXERCISES).stream().map(grading -> {
            Exercise exercise = grading.job().exercise();
            return dynamicTest(exercise.id() + " as shipped fails", () -> {
                Grading.assumeGradable(exercise);
                GradeResult result = GradingPlan.await(grading);
                assertNull(result.setupFailure(), () -> "The shipped exercise must compile and run:\n" + Grading.report(exercise, result));
                assertTrue(result.failedChecks(), () -> "The grader passes the unsolved exercise:\n" + Grading.report(exercise, result));
            });
        });
    }
}
