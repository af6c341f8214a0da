///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//CDS
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
package workshop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The runner's JBang entry point ({@code ./jbang workshop}). It has no dependencies of its own:
 * it asks Maven to compile the runner and list its classpath (pom.xml is the one list of the
 * workshop's libraries, exclusions included), once and again whenever pom.xml or the sources
 * change, then runs {@link Workshop} with that classpath, passing the arguments, the terminal
 * and the exit code through.
 */
public final class Launcher {

    private static final String MAIN_CLASS = "workshop.Workshop";
    /** What Maven's package phase makes of the runner (pom.xml: artifactId, version, finalName). */
    private static final String RUNNER_JAR = "kafka-ksqldb-workshop.jar";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Path root = root();
        Path classpathFile = root.resolve(".workshop").resolve("runner").resolve("classpath.txt");
        if (stale(root, classpathFile)) {
            build(root, classpathFile);
        }
        Path archive = classpathFile.resolveSibling("runner.jsa");
        List<String> command = java(classpathFile);
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive); // falls back to no sharing if it does not fit
        }
        command.add(MAIN_CLASS);
        command.addAll(List.of(args));
        Process runner = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the runner directly (same terminal): this process only waits for it.
        ignoreInterrupts();
        System.exit(runner.waitFor());
    }

    /** java with the runner's JVM options and classpath (the runner's jar, then its libraries). */
    private static List<String> java(Path classpathFile) throws IOException {
        Path argFile = classpathFile.resolveSibling("classpath.args");
        String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        Files.writeString(argFile, "-classpath \"" + classpath.replace("\\", "\\\\") + "\"" + System.lineSeparator());
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m", "@" + argFile));
    }

    /**
     * Runs the runner once to keep the classes it loads in an archive that every later run maps
     * at once (AppCDS): commands start in about half the time. Best effort: without the archive
     * the runner works the same.
     */
    private static void archiveClasses(Path classpathFile) throws Exception {
        Path archive = classpathFile.resolveSibling("runner.jsa");
        List<String> command = java(classpathFile);
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, MAIN_CLASS, "warm"));
        Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (training.waitFor() != 0) {
            Files.deleteIfExists(archive);
        }
    }

    /** The workshop folder: the current one or the nearest parent holding workshop.yaml. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("workshop.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        System.err.println("Run this from inside the workshop's folder (no workshop.yaml here or above).");
        System.exit(2);
        return null;
    }

    /** True when pom.xml or a source is newer than the classpath Maven last wrote. */
    private static boolean stale(Path root, Path classpathFile) throws IOException {
        if (!Files.isRegularFile(classpathFile) || !Files.isRegularFile(root.resolve("target").resolve(RUNNER_JAR))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(classpathFile);
        if (Files.getLastModifiedTime(root.resolve("pom.xml")).compareTo(built) > 0) {
            return true;
        }
        try (Stream<Path> sources = Files.walk(root.resolve("src").resolve("main"))) {
            return sources.filter(Files::isRegularFile).anyMatch(source -> {
                try {
                    return Files.getLastModifiedTime(source).compareTo(built) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    /** Compiles the runner and writes its classpath, with Maven; one build at a time. */
    private static void build(Path root, Path classpathFile) throws Exception {
        Files.createDirectories(classpathFile.getParent());
        try (FileChannel lock = FileChannel.open(classpathFile.resolveSibling("build.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            if (!stale(root, classpathFile)) {
                return; // another terminal built it while this one waited
            }
            System.err.println("Building the workshop runner with Maven (the first time, Maven downloads the"
                    + " workshop's libraries: a few minutes)...");
            String mvn = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "mvn.cmd" : "mvn";
            // The runner as a jar (class data sharing cannot archive classes from a folder), and its libraries.
            Path libraries = classpathFile.resolveSibling("libraries.txt");
            List<String> command = List.of(mvn, "-B", "-q", "-Dmaven.test.skip=true", "package", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + libraries, "-Dmdep.includeScope=runtime");
            Process maven;
            try {
                maven = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                System.err.println("The workshop needs Maven (mvn) on the PATH: install Maven 3.8 or newer, then run this again.");
                System.exit(1);
                return;
            }
            List<String> output = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            }
            Files.deleteIfExists(classpathFile.resolveSibling("runner.jsa")); // classes changed: archive them again
            if (maven.waitFor() != 0) {
                Files.deleteIfExists(classpathFile);
                output.stream().filter(line -> line.contains("ERROR")).limit(12).forEach(System.err::println);
                System.err.println("Maven could not build the workshop runner (see above). Check your network and ~/.m2/settings.xml.");
                System.exit(1);
            }
            Path jar = root.resolve("target").resolve(RUNNER_JAR);
            Files.writeString(classpathFile, jar + java.io.File.pathSeparator + Files.readString(libraries, StandardCharsets.UTF_8).trim());
            archiveClasses(classpathFile);
        }
    }

    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | LinkageError e) {
            // No such signal here: nothing to ignore.
        }
    }
}
