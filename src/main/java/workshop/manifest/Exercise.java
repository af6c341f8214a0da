package workshop.manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * One graded exercise.
 *
 * @param id      what learners type: {@code check log1}
 * @param file    path relative to both exercises/ and solutions/, e.g. {@code 01-log/AppendRatings.java}
 * @param grader  fully qualified name of the grader's JUnit class
 * @param summary one sentence: what the learner does
 * @param hints   from gentle to explicit
 */
public record Exercise(
        String id,
        String title,
        String file,
        String grader,
        int minutes,
        String summary,
        List<String> hints) {

    public Exercise {
        hints = hints == null ? List.of() : List.copyOf(hints);
    }

    public Path exerciseFile(Path root) {
        return root.resolve("exercises").resolve(file);
    }

    public Path solutionFile(Path root) {
        return root.resolve("solutions").resolve(file);
    }
}
