package workshop;

import org.junit.jupiter.api.Test;
import workshop.grading.ExerciseClasspath;
import workshop.grading.ExerciseSource;
import workshop.manifest.Catalog;
import workshop.manifest.Exercise;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every //DEPS line of the JBang scripts names the version the Maven build uses: what a learner
 * runs with ./jbang is what the graders compile against, and what CI tests.
 */
class DependencyVersionsTest {

    @Test
    void jbangScriptsUseTheBuildsVersions() {
        List<Path> scripts = new ArrayList<>();
        scripts.add(Grading.ROOT.resolve(Catalog.RUNNER));
        for (Exercise exercise : Grading.MANIFEST.availableExercises()) {
            scripts.add(exercise.exerciseFile(Grading.ROOT));
            scripts.add(exercise.solutionFile(Grading.ROOT));
        }
        List<String> classpath = ExerciseClasspath.entries().stream().map(p -> p.toString().replace('\\', '/')).toList();
        List<String> problems = new ArrayList<>();
        for (Path script : scripts) {
            for (String dep : ExerciseSource.read(script).deps()) {
                String[] parts = dep.replace("@pom", "").split(":");
                if (parts.length < 3 || dep.endsWith("@pom")) {
                    continue; // managed by a BOM, or the BOM itself: versions come from the BOM
                }
                String folder = "/" + parts[0].replace('.', '/') + "/" + parts[1] + "/" + parts[2] + "/";
                boolean confluentProfile = classpath.stream().anyMatch(entry -> entry.contains("/io/confluent/"));
                if (parts[0].startsWith("io.confluent") && !confluentProfile) {
                    continue; // Confluent's jars are on the build's classpath only with mvn -Pconfluent
                }
                if (classpath.stream().noneMatch(entry -> entry.contains(folder))) {
                    problems.add(Grading.ROOT.relativize(script) + ": " + dep + " is not the build's version");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
