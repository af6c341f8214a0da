package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.GradeResult;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** Every solution passes its grader: the graders and the solutions agree. */
class SolutionsPassTest {

    @TestFactory
    Stream<DynamicTest> everySolutionPassesItsGrader() {
        List<Grading.Job> jobs = Grading.exercises().stream()
                .map(exercise -> new Grading.Job("solution", exercise, exercise.solutionFile(Grading.ROOT))).toList();
        List<GradeResult> results = Grading.gradeAll(jobs);
        return IntStream.range(0, jobs.size()).mapToObj(i -> dynamicTest(jobs.get(i).exercise().id() + " solution passes", () -> {
                Grading.assumeGradable(jobs.get(i).exercise());
                assertTrue(results.get(i).passed(), () -> Grading.report(jobs.get(i).exercise(), results.get(i)));
        }));
    }
}
