package workshop.grading;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One temporary folder per JVM for compiled classes and grader files, removed when the JVM exits. */
final class Scratch {

    private static Path root;

    private Scratch() {
    }

    static synchronized Path newFolder(String prefix) {
        try {
            if (root == null) {
                root = Files.createTempDirectory("workshop-");
                Path toDelete = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(toDelete.toFile())));
            }
            return Files.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
