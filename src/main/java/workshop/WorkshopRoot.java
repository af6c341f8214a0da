package workshop;

import workshop.manifest.Manifest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the workshop's root folder: the one holding {@code workshop.yaml}. */
public final class WorkshopRoot {

    private WorkshopRoot() {
    }

    /**
     * The system property {@code workshop.root} if set (Maven sets it for tests), else the
     * current folder or the nearest parent that holds the manifest.
     *
     * @throws IllegalStateException when run outside the workshop's folder
     */
    public static Path find() {
        String property = System.getProperty("workshop.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + Manifest.FILE_NAME + " in " + start
                + " or its parents: run this from inside the workshop's folder.");
    }

    /** Where the runner keeps its local state (stack data, logs, progress, backups); git ignores it. */
    public static Path stateDir(Path root) {
        return root.resolve(".workshop");
    }
}
