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
 * @param track   how the exercise is solved when a module teaches two ways: {@code ksqldb} for a ksqlDB
 *                exercise (a .sql file or a ksqlDB client); absent for the module's only (Java) track
 * @param twin    the id of the exercise that does the same in the other track (a ksqlDB exercise names
 *                its Kafka Streams twin): doing either counts, and both are graded by the same oracle
 */
public record Exercise(
        String id,
        String title,
        String file,
        String grader,
        int minutes,
        String summary,
        List<String> hints,
        String track,
        String twin) {

    /** The value of {@code track} for ksqlDB exercises. */
    public static final String KSQLDB_TRACK = "ksqldb";

    public Exercise {
        hints = hints == null ? List.of() : List.copyOf(hints);
    }

    /** An exercise of the module's only track, with no twin. */
    public Exercise(String id, String title, String file, String grader, int minutes, String summary, List<String> hints) {
        this(id, title, file, grader, minutes, summary, hints, null, null);
    }

    /** Solved against a ksqlDB server: it needs ksqlDB (and Kafka), whatever else its module needs. */
    public boolean ksqldb() {
        return KSQLDB_TRACK.equals(track);
    }

    /** A SQL script that a learner types into the ksqlDB CLI, not a JBang script. */
    public boolean sqlScript() {
        return file.endsWith(".sql");
    }

    public Path exerciseFile(Path root) {
        return root.resolve("exercises").resolve(file);
    }

    public Path solutionFile(Path root) {
        return root.resolve("solutions").resolve(file);
    }
}
