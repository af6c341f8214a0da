package workshop.grading;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JUnit class as the grader of one exercise. The class's {@code @BeforeAll} method runs
 * the exercise once (through a {@link Workbench} parameter); each {@code @Test} is one check,
 * reported to the learner by its {@code @DisplayName}, in {@code @Order}.
 *
 * <p>Which file is graded (the learner's exercise, the solution, a known mistake) and on which
 * stack is decided by whoever launches the grader ({@link GraderLauncher}); a grader started
 * alone, e.g. from an IDE, grades the solution on the test stack.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(GradingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public @interface Grader {
    /** The id of the graded exercise in workshop.yaml, e.g. {@code log1}. */
    String value();

    /**
     * True for a grader that must have the stack to itself: it stops brokers, or measures
     * throughput or timing that other gradings running at once would distort. Tests grade such
     * exercises one at a time; the others may be graded side by side.
     */
    boolean exclusive() default false;
}
