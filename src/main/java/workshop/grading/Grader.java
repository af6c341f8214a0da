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
    /**
     * Optional: the id of the graded exercise, e.g. {@code log1}. The manifest (workshop.yaml)
     * already names each exercise's grader, so the id need not be repeated here; when given, it
     * must be the manifest's (ManifestTest checks).
     */
    String value() default "";

    /**
     * What this grader must not share with another grading running at the same time, e.g.
     * {@code "3-broker cluster"} (it stops brokers) or {@code "customers table"} (it changes rows
     * other graders read). Tests run gradings with the same value one at a time, beside the
     * others; empty means no such constraint.
     */
    String isolation() default "";
}
