package workshop.grading;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The classpath that exercises compile and run with: the one this JVM runs with. Under JBang and
 * under Surefire that holds kafka-clients and every other library the exercises declare in
 * their {@code //DEPS} lines (DependencyVersionsTest keeps the versions equal).
 */
public final class ExerciseClasspath {

    private static volatile List<Path> entries;

    private ExerciseClasspath() {
    }

    public static List<Path> entries() {
        if (entries == null) {
            entries = List.copyOf(expand(System.getProperty("java.class.path")));
        }
        return entries;
    }

    /**
     * The libraries alone, without folders of classes: what an exercise's JVM needs (exercises are
     * standalone programs; the workshop's own classes are not theirs), and what class data
     * sharing can archive.
     */
    public static List<Path> jars() {
        return entries().stream().filter(path -> !Files.isDirectory(path)).toList();
    }

    public static String asString() {
        return String.join(File.pathSeparator, entries().stream().map(Path::toString).toList());
    }

    private static final java.util.Map<List<String>, List<Path>> DECLARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The jars that these {@code //DEPS} coordinates bring (see {@link DeclaredJars}), as JBang
     * would run the program: a few of the libraries, so a JVM starts faster. All of them when
     * that cannot be told from the local Maven repository.
     */
    public static List<Path> jarsFor(List<String> coordinates) {
        return DECLARED.computeIfAbsent(List.copyOf(coordinates), declared -> DeclaredJars.of(declared, jars()).orElseGet(ExerciseClasspath::jars));
    }

    /** Adds what a jar's manifest Class-Path lists (launchers may pass a manifest-only jar). */
    private static List<Path> expand(String classpath) {
        Set<Path> result = new LinkedHashSet<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            result.add(path);
            result.addAll(manifestClassPath(path));
        }
        return new ArrayList<>(result);
    }

    private static List<Path> manifestClassPath(Path jar) {
        if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
            return List.of();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (listed == null || listed.isBlank()) {
                return List.of();
            }
            List<Path> paths = new ArrayList<>();
            for (String url : listed.trim().split("\\s+")) {
                URI uri = jar.toUri().resolve(url);
                paths.add(Path.of(uri));
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }
}
