package workshop.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exercise file as JBang sees it: a Java source whose header comments declare what it needs
 * ({@code //DEPS}, {@code //SOURCES}, {@code //JAVA_OPTIONS}), with a class named like the file.
 */
public record ExerciseSource(Path file, String mainClass, List<String> deps, List<Path> sources, List<String> javaOptions) {

    public static ExerciseSource read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No exercise file at " + file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<String> deps = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        List<String> javaOptions = new ArrayList<>();
        for (String line : lines) {
            deps.addAll(values(line, "//DEPS"));
            values(line, "//SOURCES").forEach(s -> sources.add(file.resolveSibling(s).normalize()));
            javaOptions.addAll(values(line, "//JAVA_OPTIONS"));
        }
        String name = file.getFileName().toString();
        String mainClass = name.substring(0, name.length() - ".java".length());
        return new ExerciseSource(file, mainClass, List.copyOf(deps), List.copyOf(sources), List.copyOf(javaOptions));
    }

    private static List<String> values(String line, String directive) {
        if (!line.startsWith(directive + " ")) {
            return List.of();
        }
        return List.of(line.substring(directive.length()).trim().split("\\s+"));
    }

    /** The files javac compiles: the exercise and what its //SOURCES lines add. */
    public List<Path> compilationUnits() {
        List<Path> all = new ArrayList<>();
        all.add(file);
        all.addAll(sources);
        return all;
    }
}
