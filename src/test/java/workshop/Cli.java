package workshop;

import org.apache.commons.io.FileUtils;
import workshop.grading.ExerciseClasspath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the workshop runner as a learner would, in a JVM of its own, in a copy of the workshop. */
final class Cli {

    record Result(int exitCode, String stdout, String stderr, Duration took) {
        String all() {
            return stdout + stderr;
        }
    }

    private Cli() {
    }

    /** A scratch copy of the workshop (manifest, exercises, solutions, data), with state of its own. */
    static Path copyOfWorkshop() throws IOException {
        Path copy = TemporaryFolders.create("workshop-copy-");
        for (String item : List.of("workshop.yaml", "jbang-catalog.json", "exercises", "solutions", "data")) {
            Path source = Grading.ROOT.resolve(item);
            if (Files.isDirectory(source)) {
                FileUtils.copyDirectory(source.toFile(), copy.resolve(item).toFile());
            } else {
                Files.copy(source, copy.resolve(item));
            }
        }
        return copy;
    }

    static ProcessBuilder builder(Path root, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-XX:+UseSerialGC",
                "-Dworkshop.root=" + root,
                "-cp", ExerciseClasspath.asString(),
                Workshop.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().remove("BOOTSTRAP_SERVERS");
        builder.environment().remove("WORKSHOP_STACK");
        builder.environment().putAll(env);
        return builder;
    }

    static Result run(Path root, Map<String, String> env, String... args) throws Exception {
        long started = System.nanoTime();
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        try {
            Process process = builder(root, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("The runner did not end within 60 s: " + String.join(" ", args));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
