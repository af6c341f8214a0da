package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;

import java.util.stream.Stream;

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
        return Grading.exercises().stream().map(exercise -> dynamicTest(exercise.id() + " as shipped fails", () -> {
            GradeResult result = Grading.grade(exercise, exercise.exerciseFile(Grading.ROOT));
            Grading.log("exercise", exercise, result);
            assertNull(result.setupFailure(), () -> "The shipped exercise must compile and run:\n" + Grading.report(exercise, result));
            assertTrue(result.failedChecks(), () -> "The grader passes the unsolved exercise:\n" + Grading.report(exercise, result));
        }));
    }
}
