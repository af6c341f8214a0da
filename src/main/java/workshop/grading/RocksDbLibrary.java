package workshop.grading;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * RocksDB's native library (the state stores of Kafka Streams), unpacked once per RocksDB version
 * for every exercise JVM. Left to itself, RocksDB copies its 15 MB library out of the jar into the
 * temp folder at every start of a Kafka Streams program and deletes the copy when the JVM exits
 * normally; a JVM killed with SIGKILL, which is how graders crash a program on purpose, leaves it
 * behind. A grading session used to leave a gigabyte there. RocksDB first looks for its library on
 * {@code java.library.path}, so a JVM given the folder below loads it from there and copies nothing.
 */
final class RocksDbLibrary {

    /** Off: -Dworkshop.rocksdb.shared=false (RocksDB then unpacks its own copy, as without the workshop). */
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("workshop.rocksdb.shared", "true"));
    private static volatile Optional<List<String>> options;

    private RocksDbLibrary() {
    }

    /** The JVM options that make a child JVM load RocksDB's library from the shared folder; none if that cannot be. */
    static List<String> jvmOptions() {
        if (options == null) {
            synchronized (RocksDbLibrary.class) {
                if (options == null) {
                    options = ENABLED ? folder().map(RocksDbLibrary::libraryPath) : Optional.empty();
                }
            }
        }
        return options.orElse(List.of());
    }

    /** The shared folder first, then the JVM's usual places (other native libraries are still found). */
    private static List<String> libraryPath(Path folder) {
        String usual = System.getProperty("java.library.path", "");
        return List.of("-Djava.library.path=" + folder + (usual.isEmpty() ? "" : File.pathSeparator + usual));
    }

    /**
     * The folder that holds this platform's library under the name RocksDB asks the JVM for
     * (librocksdbjni-linux64.so, say), unpacked if it is not there yet: into a file of its own,
     * then moved in one step, so a JVM starting at the same moment never loads half of it.
     */
    private static Optional<Path> folder() {
        try {
            Class<?> environment = Class.forName("org.rocksdb.util.Environment");
            String inJar = (String) environment.getMethod("getJniLibraryFileName", String.class).invoke(null, "rocksdb");
            // What System.loadLibrary looks for (on Windows without the "lib" of the jar's name).
            String fileName = System.mapLibraryName((String) environment.getMethod("getJniLibraryName", String.class).invoke(null, "rocksdb"));
            Path jar = Path.of(environment.getProtectionDomain().getCodeSource().getLocation().toURI());
            // Named by the jar's file name (its version) and size: another RocksDB gets a folder of its own.
            Path folder = Path.of(System.getProperty("java.io.tmpdir"), "workshop-native",
                    jar.getFileName().toString().replaceFirst("\\.jar$", "") + "-" + Files.size(jar));
            Path library = folder.resolve(fileName);
            if (!Files.isRegularFile(library)) {
                Files.createDirectories(folder);
                try (InputStream in = environment.getClassLoader().getResourceAsStream(inJar)) {
                    if (in == null) {
                        return Optional.empty(); // no library for this platform in the jar: RocksDB says so itself
                    }
                    Path partial = folder.resolve(fileName + "." + ProcessHandle.current().pid() + "-" + System.nanoTime());
                    try {
                        Files.copy(in, partial);
                        Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        if (!Files.isRegularFile(library)) { // else another JVM put it there first (and may hold it open)
                            throw e;
                        }
                    } finally {
                        Files.deleteIfExists(partial);
                    }
                }
            }
            return Optional.of(folder);
        } catch (ReflectiveOperationException | IOException | java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty(); // RocksDB unpacks its own copy, as it always does: slower, not wrong
        }
    }
}
