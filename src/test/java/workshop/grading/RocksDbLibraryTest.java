package workshop.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that loads RocksDB (any Kafka Streams program) and dies without its shutdown hooks, as a
 * grader's kill does, leaves no copy of RocksDB's 15 MB library in its temp folder when it runs
 * with {@link RocksDbLibrary}'s options; without them it does (which is why they exist).
 */
class RocksDbLibraryTest {

    /** Loads RocksDB's library, then ends at once, skipping shutdown hooks (and so deleteOnExit). */
    private static final String PROBE = """
            public class Probe {
                public static void main(String[] args) {
                    org.rocksdb.RocksDB.loadLibrary();
                    System.out.println("loaded");
                    Runtime.getRuntime().halt(0);
                }
            }
            """;

    @Test
    void aKilledStreamsJvmLeavesNoCopyOfTheLibrary(@TempDir Path dir) throws Exception {
        List<String> options = RocksDbLibrary.jvmOptions();
        assertFalse(options.isEmpty(), "RocksDB's library could not be unpacked for the exercise JVMs");
        assertEquals(List.of(), copiesLeftBy(options, dir.resolve("shared")));
    }

    @Test
    void withoutItRocksDbLeavesItsCopyBehind(@TempDir Path dir) throws Exception {
        assertTrue(copiesLeftBy(List.of(), dir.resolve("alone")).size() == 1, "the control: RocksDB unpacks a copy of its own");
    }

    private static List<String> copiesLeftBy(List<String> options, Path tmp) throws IOException, InterruptedException {
        Files.createDirectories(tmp);
        Path probe = Files.writeString(tmp.resolve("Probe.java"), PROBE);
        Path jar = Path.of(org.rocksdb.RocksDB.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp));
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString(), probe.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe JVM did not end");
        assertTrue(output.contains("loaded"), "RocksDB did not load: " + output);
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("librocksdbjni")).toList();
        }
    }
}
