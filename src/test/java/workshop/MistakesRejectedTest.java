package workshop;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.CheckResult;
import workshop.grading.GradeResult;
import workshop.manifest.Exercise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The graders reject the typical mistakes listed in src/test/resources/mistakes/ (a file per
 * module): each mistake is the solution with one change, and the check named for it must fail.
 */
@org.junit.jupiter.api.Order(GradingPlan.LAST)
class MistakesRejectedTest {

    record Mistake(String exercise, String mistake, String replace, String with,
                   @JsonProperty("also-replace") String alsoReplace, @JsonProperty("also-with") String alsoWith,
                   String failing) {
    }

    static final Path MISTAKES = Grading.ROOT.resolve("src/test/resources/mistakes");
    /** Where the files with the mistakes are written: the build's own folder, emptied at each run, not the temp folder. */
    static final Path WRITTEN = Grading.ROOT.resolve("target/mistakes");

    static List<Mistake> mistakes() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Mistake> mistakes = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(MISTAKES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                mistakes.addAll(List.of(yaml.readValue(file.toFile(), Mistake[].class)));
            }
        }
        return mistakes;
    }

    @org.junit.jupiter.api.Test
    void everyExerciseHasTypicalMistakes() throws IOException {
        java.util.Set<String> covered = new java.util.HashSet<>();
        mistakes().forEach(m -> covered.add(m.exercise()));
        for (Exercise exercise : Grading.exercises()) {
            assertTrue(covered.contains(exercise.id()), exercise.id() + " has no typical mistake in " + MISTAKES);
        }
    }

    /** The listed mistakes of the exercises graded in this run (-Dworkshop.only narrows them). */
    static List<Mistake> gradedMistakes() {
        java.util.Set<String> graded = Grading.exercises().stream().map(Exercise::id).collect(java.util.stream.Collectors.toSet());
        try {
            return mistakes().stream().filter(m -> graded.contains(m.exercise())).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A grading for each mistake, in the order of {@link #gradedMistakes()}: the solution with the mistake written in. */
    static List<Grading.Job> jobs() {
        List<Grading.Job> jobs = new java.util.ArrayList<>();
        org.apache.commons.io.FileUtils.deleteQuietly(WRITTEN.toFile()); // the last run's
        for (Mistake mistake : gradedMistakes()) {
            Exercise exercise = exercise(mistake);
            Path file;
            try {
                file = write(exercise, mistake);
            } catch (IOException | AssertionError e) {
                file = null; // its test writes it again, and fails with the reason
            }
            jobs.add(new Grading.Job("mistake", exercise, file));
        }
        return jobs;
    }

    @TestFactory
    Stream<DynamicTest> everyTypicalMistakeIsRejected() {
        List<Mistake> mistakes = gradedMistakes();
        List<GradingPlan.Scheduled> gradings = GradingPlan.of(GradingPlan.Kind.MISTAKES);
        return java.util.stream.IntStream.range(0, gradings.size()).mapToObj(i -> {
            Mistake mistake = mistakes.get(i);
            Exercise exercise = gradings.get(i).job().exercise();
            return dynamicTest(mistake.exercise() + " rejects: " + mistake.mistake(), () -> {
                if (gradings.get(i).job().file() == null) {
                    write(exercise, mistake); // throws why the mistake cannot be written
                }
                Grading.assumeGradable(exercise);
                GradeResult result = GradingPlan.await(gradings.get(i));
                assertNull(result.setupFailure(), () -> "The mistake must compile and run:\n" + Grading.report(exercise, result));
                CheckResult check = result.checks().stream()
                        .filter(c -> c.name().equals(mistake.failing()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("The grader of " + exercise.id() + " has no check named '" + mistake.failing() + "'"));
                assertEquals(CheckResult.Status.FAILED, check.status(),
                        () -> "The grader did not catch: " + mistake.mistake() + "\n" + Grading.report(exercise, result));
            });
        });
    }

    private static Exercise exercise(Mistake mistake) {
        return Grading.MANIFEST.exercise(mistake.exercise())
                .orElseThrow(() -> new AssertionError("Unknown exercise " + mistake.exercise() + " in " + MISTAKES));
    }

    /** The solution with the mistake, under the same file name (the class name must match). */
    private static Path write(Exercise exercise, Mistake mistake) throws IOException {
        String source = Files.readString(exercise.solutionFile(Grading.ROOT));
        source = replaceOnce(source, mistake.replace(), mistake.with());
        if (mistake.alsoReplace() != null) {
            source = replaceOnce(source, mistake.alsoReplace(), mistake.alsoWith());
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(WRITTEN), exercise.id() + "-");
        Path file = dir.resolve(exercise.solutionFile(Grading.ROOT).getFileName());
        return Files.writeString(file, source);
    }

    private static String replaceOnce(String source, String text, String replacement) {
        int at = source.indexOf(text);
        assertTrue(at >= 0 && source.indexOf(text, at + 1) < 0,
                () -> "The solution must contain exactly once: " + text);
        return source.substring(0, at) + replacement + source.substring(at + text.length());
    }
}
