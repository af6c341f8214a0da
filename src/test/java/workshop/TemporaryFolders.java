package workshop;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Temporary folders of the tests, removed when the test JVM ends: a test run leaves nothing in the temp folder. */
public final class TemporaryFolders {

    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(folder -> FileUtils.deleteQuietly(folder.toFile())),
                "remove-temporary-folders"));
    }

    private TemporaryFolders() {
    }

    public static Path create(String prefix) throws IOException {
        Path folder = Files.createTempDirectory(prefix);
        CREATED.add(folder);
        return folder;
    }
}
