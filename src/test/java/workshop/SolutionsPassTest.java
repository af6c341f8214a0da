package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Every solution passes its grader: the graders and the solutions agree. */
class SolutionsPassTest {

    @TestFactory
    Stream<DynamicTest> everySolutionPassesItsGrader() {
        return Grading.exercises().stream().map(exercise -> dynamicTest(exercise.id() + " solution passes", () -> {
            GradeResult result = Grading.grade(exercise, exercise.solutionFile(Grading.ROOT));
            Grading.log("solution", exercise, result);
            assertTrue(result.passed(), () -> Grading.report(exercise, result));
        }));
    }
}
