package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;
import workshop.manifest.Exercise;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Every solution passes its grader: the graders and the solutions agree. */
@org.junit.jupiter.api.Order(GradingPlan.LAST)
class SolutionsPassTest {

    @TestFactory
    Stream<DynamicTest> everySolutionPassesItsGrader() {
        return GradingPlan.of(GradingPlan.Kind.SOLUTIONS).stream().map(grading -> {
            Exercise exercise = grading.job().exercise();
            return dynamicTest(exercise.id() + " solution passes", () -> {
                Grading.assumeGradable(exercise);
                GradeResult result = GradingPlan.await(grading);
                assertTrue(result.passed(), () -> Grading.report(exercise, result));
            });
        });
    }
}
