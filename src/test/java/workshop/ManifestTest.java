package workshop;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import workshop.grading.Grader;
import workshop.manifest.Catalog;
import workshop.manifest.Exercise;
import workshop.manifest.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** workshop.yaml, the files on disk, the graders and jbang-catalog.json agree. */
class ManifestTest {

    private static final Path ROOT = Grading.ROOT;

    @Test
    void modulesFollowTheTalkInOrder() {
        List<Integer> numbers = Grading.MANIFEST.modules().stream().map(Module::number).toList();
        assertEquals(Stream.iterate(0, n -> n + 1).limit(14).toList(), numbers, "modules 0..13, in order");
    }

    @Test
    void idsAreUnique() {
        List<String> ids = Grading.MANIFEST.exerciseIds().toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate exercise ids: " + ids);
        List<String> moduleIds = Grading.MANIFEST.modules().stream().map(Module::id).toList();
        assertEquals(moduleIds.size(), new HashSet<>(moduleIds).size(), "duplicate module ids: " + moduleIds);
    }

    @Test
    void writtenModulesHaveAGuideAndExercises() {
        for (Module module : Grading.MANIFEST.modules()) {
            if (module.available()) {
                assertTrue(Files.isRegularFile(ROOT.resolve(module.guide())), "missing guide " + module.guide());
                assertFalse(module.exercises().isEmpty(), "module " + module.id() + " has no exercises");
                assertFalse(module.services().isEmpty(), "module " + module.id() + " names no services");
            } else {
                assertEquals("coming", module.status(), "status of " + module.id());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExerciseIsComplete() {
        return Grading.MANIFEST.availableExercises().stream().map(exercise -> dynamicTest(exercise.id(), () -> {
            Module module = Grading.MANIFEST.moduleOf(exercise);
            assertTrue(exercise.file().startsWith(module.directory() + "/"), exercise.file() + " is not in " + module.directory());
            String shipped = Files.readString(exercise.exerciseFile(ROOT));
            String solution = Files.readString(exercise.solutionFile(ROOT));
            assertTrue(shipped.contains("TODO"), exercise.id() + ": the exercise has no TODO");
            assertFalse(solution.contains("TODO"), exercise.id() + ": the solution still has a TODO");
            assertNotEquals(shipped, solution, exercise.id() + ": exercise and solution are the same");
            assertFalse(exercise.hints().isEmpty(), exercise.id() + " has no hint");
            assertNotNull(exercise.summary(), exercise.id() + " has no summary");
            assertTrue(exercise.minutes() > 0, exercise.id() + " has no time");
            Class<?> grader = Class.forName(exercise.grader());
            Grader annotation = grader.getAnnotation(Grader.class);
            assertNotNull(annotation, exercise.grader() + " is not annotated with @Grader");
            assertTrue(annotation.value().isEmpty() || annotation.value().equals(exercise.id()),
                    exercise.grader() + " says it grades " + annotation.value() + ", the manifest says " + exercise.id());
        }));
    }

    @Test
    void everyGraderIsInTheManifest() throws IOException {
        Path graders = Path.of("target", "classes", "workshop", "graders");
        Set<String> declared = Grading.MANIFEST.exercises().stream().map(Exercise::grader).collect(Collectors.toSet());
        try (Stream<Path> files = Files.walk(graders)) {
            List<String> found = files.filter(f -> f.toString().endsWith("Grader.class"))
                    .map(f -> "workshop." + Path.of("target", "classes", "workshop").relativize(f).toString()
                            .replace(".class", "").replace('/', '.').replace('\\', '.'))
                    .toList();
            assertFalse(found.isEmpty());
            for (String grader : found) {
                assertTrue(declared.contains(grader), grader + " is not used by any exercise in " + workshop.manifest.Manifest.FILE_NAME);
            }
        }
    }

    @Test
    void exerciseFoldersHoldOnlyManifestFiles() throws IOException {
        Set<Path> declared = Grading.MANIFEST.exercises().stream().map(e -> Path.of(e.file())).collect(Collectors.toSet());
        for (String folder : List.of("exercises", "solutions")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f ->
                        assertTrue(declared.contains(ROOT.resolve(folder).relativize(f)), f + " is not in the manifest"));
            }
        }
    }

    @Test
    void catalogIsGeneratedFromTheManifest() throws IOException {
        assertEquals(Catalog.generate(Grading.MANIFEST), Files.readString(ROOT.resolve(Catalog.FILE_NAME)),
                Catalog.FILE_NAME + " is out of date: run ./jbang workshop catalog");
    }
}
