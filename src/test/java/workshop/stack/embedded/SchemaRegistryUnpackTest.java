package workshop.stack.embedded;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gradings that start at once on a fresh clone all unpack the schema registry: each must
 * end with the complete distribution, none may fail or leave a half-unpacked folder.
 */
class SchemaRegistryUnpackTest {

    @Test
    void threeAtOnceIntoAFolderThatDoesNotExistYet(@TempDir Path temp) throws Exception {
        Path archive = temp.resolve("registry.tar.gz");
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (int i = 0; i < 200; i++) {
                byte[] content = ("file " + i + "\n").repeat(500).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("lib/part-" + i + ".txt");
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        Path home = temp.resolve(".workshop/tools/apicurio"); // neither .workshop nor tools exists
        CyclicBarrier together = new CyclicBarrier(3);
        List<CompletableFuture<Void>> gradings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gradings.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                EmbeddedSchemaRegistry.unpackOnce(archive, home);
            }));
        }
        CompletableFuture.allOf(gradings.toArray(CompletableFuture[]::new)).join();

        assertTrue(Files.isRegularFile(home.resolve(".complete")));
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            assertEquals(200, files.count());
        }
        try (Stream<Path> left = Files.list(home.getParent())) {
            assertEquals(List.of(home), left.toList(), "no unpacking folder is left behind");
        }
    }
}
