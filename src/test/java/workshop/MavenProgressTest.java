package workshop;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first build's progress, read from Maven's own lines (batch mode, as the launcher runs it). */
class MavenProgressTest {

    @Test
    void downloadsAreCountedAndTheBuildsStepsNamed() {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Launcher.MavenProgress progress = new Launcher.MavenProgress(new PrintStream(shown, true, StandardCharsets.UTF_8), false);
        progress.accept("[INFO] Downloading from central: https://repository.example/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.jar");
        for (int i = 0; i < 25; i++) {
            progress.accept("[INFO] Downloaded from central: https://repository.example/a/b/1/b-1.jar (512 kB at 1.0 MB/s)");
        }
        progress.accept("Downloaded from mirror: https://mirror.example/org/apache/kafka/kafka-clients/4.3.1/kafka-clients-4.3.1.jar (1.5 MB at 3 MB/s)");
        progress.accept("[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ kafka-ksqldb-workshop ---");
        progress.accept("[INFO] --- jar:3.4.2:jar (default-jar) @ kafka-ksqldb-workshop ---");
        progress.finish();
        String[] lines = shown.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals("  Downloaded 25 files, 12.8 MB so far: b-1.jar", lines[0]);
        assertEquals("  Maven: compiling the runner (26 files, 14.3 MB downloaded)", lines[1]);
        assertTrue(lines[2].startsWith("  Maven: packing the runner's jar"), String.join("\n", lines));
        assertEquals(3, lines.length, String.join("\n", lines));
    }
}
