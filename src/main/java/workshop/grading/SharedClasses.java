package workshop.grading;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Class data sharing for the JVMs that run exercises and Kafka's tools. The JVMs on the same jars
 * (the ones their //DEPS bring: see DeclaredJars) load the same few thousand classes of
 * kafka-clients (and Kafka Streams, Jackson). The first one lists the classes it loads
 * (-XX:DumpLoadedClassList); once it ended, even stopped by its grader, a short JVM writes them to
 * an archive (-Xshare:dump), and the next ones map that archive instead of loading and verifying
 * those classes again: about a third less CPU for each start. One process at a time writes an
 * archive (a lock file beside it). The archive belongs to one JDK and one set of jars (its name is
 * their hash), lives in the temp folder and is put in place in one step, so a JVM never maps half
 * of one. The program's own classes come after the jars (a folder there is fine); a classpath with
 * folders among the jars gets no sharing.
 */
final class SharedClasses {

    /** Off: -Dworkshop.cds=false (e.g. to compare). */
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("workshop.cds", "true"));
    /** Messages about the archive (missing, from another JDK) would mix with the program's own output (-Xshare:auto: Program's). */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final Set<Path> BEING_WRITTEN = ConcurrentHashMap.newKeySet();
    private static final Map<List<Path>, Optional<Path>> ARCHIVES = new ConcurrentHashMap<>();

    private SharedClasses() {
    }

    /** What to do for a JVM on this classpath: the options to add, and what to do once it ended. */
    record Use(List<String> options, Consumer<Process> afterExit) {
        static final Use NONE = new Use(List.of(), process -> { });

        /** Runs {@link #afterExit} once the JVM ended, on a thread of its own (writing an archive takes seconds). */
        void watch(Process process) {
            process.onExit().thenAcceptAsync(afterExit, task -> {
                Thread thread = new Thread(task, "shared-classes");
                thread.setDaemon(true);
                thread.start();
            });
        }
    }

    /** @param jars the classpath shared by every such JVM, before the program's own classes */
    static Use forClasspath(List<Path> jars) {
        if (!ENABLED || jars.stream().anyMatch(Files::isDirectory)) {
            return Use.NONE;
        }
        Path archive = ARCHIVES.computeIfAbsent(List.copyOf(jars), SharedClasses::archiveFor).orElse(null);
        if (archive == null) {
            return Use.NONE;
        }
        if (Files.isRegularFile(archive)) {
            return new Use(concat(QUIET, "-XX:SharedArchiveFile=" + archive), process -> { });
        }
        if (!BEING_WRITTEN.add(archive)) {
            return Use.NONE; // another JVM of this run lists its classes; this one runs without
        }
        // Other processes (a test's runner, the background stack) may want the same archive: one writes it.
        FileLock lock = lock(archive);
        if (lock == null) {
            BEING_WRITTEN.remove(archive);
            return Use.NONE;
        }
        Path classList = temporarySibling(archive, ".classes");
        return new Use(concat(QUIET, "-XX:DumpLoadedClassList=" + classList), process -> {
            try {
                // Stopped or killed by its grader (a Kafka Streams app runs until then) is fine: what it loaded
                // so far is listed, one class a line, and a line cut short by a kill is left out.
                if (withCompleteLines(classList) && !Files.exists(archive)) {
                    writeArchive(jars, classList, archive);
                }
            } catch (IOException e) {
                // no archive this time: the next JVM tries again
            } finally {
                deleteQuietly(classList);
                release(lock);
                BEING_WRITTEN.remove(archive); // no archive written (an empty list, a failed dump): the next one tries
            }
        });
    }

    /** Cuts the list after its last full line; false when nothing is left. */
    private static boolean withCompleteLines(Path classList) throws IOException {
        byte[] listed = Files.readAllBytes(classList);
        int end = listed.length;
        while (end > 0 && listed[end - 1] != '\n') {
            end--;
        }
        if (end < listed.length) {
            Files.write(classList, java.util.Arrays.copyOf(listed, end));
        }
        return end > 0;
    }

    /** The archive's lock among processes, or null when another process holds it (or locks do not work here). */
    private static FileLock lock(Path archive) {
        FileChannel channel;
        try {
            channel = FileChannel.open(archive.resolveSibling(archive.getFileName() + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            return null;
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock; // the channel stays open as long as the lock is held
            }
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            // no lock: closed below
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
        return null;
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close(); // releases the lock; the empty file stays for the next one
        } catch (IOException ignored) {
            // closed with the process at the latest
        }
    }

    /** Writes the archive of the listed classes next to its place, then moves it there. */
    private static void writeArchive(List<Path> jars, Path classList, Path archive) throws IOException {
        Path partial = temporarySibling(archive, ".jsa");
        Path argFile = temporarySibling(archive, ".args");
        try {
            List<String> options = new java.util.ArrayList<>(
                    List.of("-Xshare:dump", "-Xlog:cds=off", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + partial));
            if (Runtime.version().feature() >= 24) {
                options.add("-XX:+AOTClassLinking"); // JDK 24+: the archive holds the classes linked too
            }
            List<String> command = workshop.JavaProcess.command(options, jars, argFile, null, List.of());
            Process dump = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (dump.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && dump.exitValue() == 0 && Files.isRegularFile(partial)) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                dump.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(partial);
            deleteQuietly(argFile);
        }
    }

    private static Path temporarySibling(Path archive, String suffix) {
        return archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + suffix);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover in the temp folder
        }
    }

    /** The archive's file: named by the JDK and by each jar's path, size and time, so a changed jar gets a new one. */
    private static Optional<Path> archiveFor(List<Path> jars) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars) {
                String stamp = Files.exists(jar) ? Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis() : "absent";
                digest.update((jar + "|" + stamp + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Path folder = Path.of(System.getProperty("java.io.tmpdir"), "workshop-shared-classes");
            Files.createDirectories(folder);
            removeLeftovers(folder);
            return Optional.of(folder.resolve(HexFormat.of().formatHex(digest.digest(), 0, 12) + ".jsa"));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty(); // no sharing: slower, not wrong
        }
    }

    /** Class lists and partial archives of JVMs that ended before they were done (an hour old: nobody's any more). */
    private static void removeLeftovers(Path folder) {
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        try (var files = Files.list(folder)) {
            files.filter(file -> file.getFileName().toString().contains(".jsa.")).forEach(file -> {
                try {
                    if (Files.getLastModifiedTime(file).toMillis() < hourAgo) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException ignored) {
                    // another JVM's, or gone already
                }
            });
        } catch (IOException ignored) {
            // nothing to tidy
        }
    }

    private static List<String> concat(List<String> first, String last) {
        List<String> all = new java.util.ArrayList<>(first);
        all.add(last);
        return all;
    }
}
