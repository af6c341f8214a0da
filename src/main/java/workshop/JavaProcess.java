package workshop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Command lines for child JVMs (exercises, the background stack) on the running Java. */
public final class JavaProcess {

    /** How long a killed process may take to be gone. */
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);

    private JavaProcess() {
    }

    /**
     * {@code java <options> @<argfile with the classpath> <mainClass> <args>}. The classpath goes
     * in an argument file because on Windows a long one overflows the command line.
     */
    public static List<String> command(List<String> jvmOptions, List<Path> classpath, Path argFile, String mainClass, List<String> args) {
        writeClasspathFile(argFile, classpath);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("@" + argFile);
        if (mainClass != null) { // none for a JVM that only works on its classpath (SharedClasses' -Xshare:dump)
            command.add(mainClass);
        }
        command.addAll(args);
        return command;
    }

    /**
     * A polite stop (SIGTERM: a JVM's shutdown hooks run, a broker or a Kafka Streams application
     * closes cleanly), then, if it has not ended after {@code grace}, a forced one of it and its
     * children. Interrupted meanwhile: forced at once.
     *
     * @return true when it ended within {@code grace}, by itself
     */
    public static boolean stop(ProcessHandle process, Duration grace) {
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // not ended in time: forced below
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(FORCED_STOP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a process that outlives SIGKILL is beyond reach
        }
        return false;
    }

    private static void writeClasspathFile(Path file, List<Path> classpath) {
        String joined = String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
        String quoted = "\"" + joined.replace("\\", "\\\\") + "\"";
        String content = "-classpath " + quoted + System.lineSeparator();
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                return;
            }
            AtomicFiles.write(file, content); // a JVM starting at the same moment never reads half of it
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
