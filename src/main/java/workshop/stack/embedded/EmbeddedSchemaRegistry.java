package workshop.stack.embedded;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import workshop.stack.MachinePace;
import workshop.stack.Progress;
import workshop.stack.StackException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A schema registry with Confluent's API, without Docker: Apicurio Registry's distribution from
 * Maven Central (fetched and unpacked when module 8 first needs it), run as a child JVM bound to
 * loopback, storing schemas in memory. Confluent's clients use its {@code /apis/ccompat/v7} API,
 * also served at the root of the registry's port as Confluent's docs show it ({@link ConfluentApiProxy});
 * Apicurio's own serializers use {@code /apis/registry/v2}. New subjects must stay backward
 * compatible, as in Confluent's registry.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    static final String VERSION = "2.6.13.Final";
    static final String CONFLUENT_API = workshop.stack.Endpoints.APICURIO_CONFLUENT_API;
    static final String APICURIO_API = "/apis/registry/v2";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How long the registry may take to shut down before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Process process;
    private final ConfluentApiProxy proxy;
    private final String baseUrl;

    private EmbeddedSchemaRegistry(Process process, ConfluentApiProxy proxy) {
        this.process = process;
        this.proxy = proxy;
        this.baseUrl = "http://localhost:" + proxy.port();
    }

    /**
     * @param port     0 for a free port
     * @param dataDir  where its log goes
     * @param toolsDir where the distribution is kept, unpacked
     */
    public static EmbeddedSchemaRegistry start(int port, Path dataDir, Path toolsDir, Progress progress) {
        Path runner = distribution(toolsDir, progress);
        // Apicurio on a port of its own; the registry's port is a proxy that also serves Confluent's API at the root.
        int httpPort = HttpService.freePort("the schema registry");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.log.level=WARN",
                "-Dquarkus.banner.enabled=false",
                // Its temp files (Vert.x's cache) with the stack's data, not left in the temp folder when it is killed.
                "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
                "-jar", runner.toString());
        Process process;
        try {
            Files.createDirectories(dataDir.resolve("tmp"));
            process = new ProcessBuilder(command).directory(runner.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("schema-registry.log").toFile()).start();
        } catch (IOException e) {
            throw new StackException("The schema registry did not start: " + e.getMessage(), e);
        }
        ConfluentApiProxy proxy;
        try {
            proxy = ConfluentApiProxy.start(port, "http://127.0.0.1:" + httpPort);
        } catch (StackException e) {
            process.destroyForcibly();
            throw e;
        }
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(process, proxy);
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "schema-registry-shutdown"));
        registry.awaitReady(dataDir.resolve("schema-registry.log"));
        registry.requireBackwardCompatibility();
        return registry;
    }

    /** The URL Confluent's clients and tools use (and the grader). */
    public String confluentApiUrl() {
        return baseUrl + CONFLUENT_API;
    }

    /** The URL Apicurio's own serializers use. */
    public String apicurioApiUrl() {
        return baseUrl + APICURIO_API;
    }

    private void awaitReady(Path log) {
        // Longer on a loaded machine; a registry that dies ends the wait at once.
        if (!HttpService.awaitOk(confluentApiUrl() + "/subjects", MachinePace.scale(READY_TIMEOUT), process::isAlive)) {
            close();
            throw new StackException("The schema registry did not answer at " + confluentApiUrl() + "; see " + log);
        }
    }

    /** Confluent's registry refuses a schema that breaks its subject's consumers by default; so does this one. */
    private void requireBackwardCompatibility() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(confluentApiUrl() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new StackException("The schema registry refused its compatibility setting (HTTP " + status + ").");
            }
        } catch (IOException e) {
            throw new StackException("The schema registry stopped answering: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while setting up the schema registry");
        }
    }

    /**
     * The runner jar of the unpacked distribution, fetching and unpacking it the first time.
     * Several gradings may start at once (three JVMs, or three stacks in one): each unpacks into
     * a folder of its own and moves it into place in one step; whoever comes second keeps the
     * first one's complete copy and drops its own. A complete copy is never deleted, as another
     * JVM may be running from it.
     */
    private static Path distribution(Path toolsDir, Progress progress) {
        Path home = toolsDir.resolve("apicurio-registry-" + VERSION);
        Path runner = home.resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
        if (complete(home)) {
            return runner;
        }
        Path archive = MavenArtifacts.fetch("io.apicurio:apicurio-registry-app:" + VERSION + ":tar.gz:all", toolsDir,
                "the schema registry (Apicurio Registry " + VERSION + ", 140 MB)", progress);
        if (complete(home)) {
            return runner;
        }
        progress.report("Unpacking the schema registry...");
        unpackOnce(archive, home);
        return runner;
    }

    /** Unpacks the archive into {@code home} unless a complete copy is there; safe to call from several JVMs at once. */
    static void unpackOnce(Path archive, Path home) {
        Path unpacking = null;
        try {
            Files.createDirectories(home.getParent()); // a fresh clone has no .workshop/tools yet
            unpacking = Files.createTempDirectory(home.getParent(), home.getFileName() + "-unpacking-");
            unpack(archive, unpacking);
            Files.createFile(unpacking.resolve(".complete"));
            if (!complete(home)) {
                if (Files.exists(home)) {
                    // Left half-done by a stack that was killed while unpacking, before moves were atomic.
                    org.apache.commons.io.FileUtils.deleteQuietly(home.toFile());
                }
                try {
                    Files.move(unpacking, home, StandardCopyOption.ATOMIC_MOVE);
                    unpacking = null;
                } catch (IOException raced) {
                    if (!complete(home)) {
                        throw raced;
                    }
                    // Another grading moved its copy first: use that one.
                }
            }
        } catch (IOException e) {
            throw new StackException("Cannot unpack the schema registry from " + archive + " into " + home + ": " + e, e);
        } finally {
            if (unpacking != null) {
                org.apache.commons.io.FileUtils.deleteQuietly(unpacking.toFile());
            }
        }
    }

    private static boolean complete(Path home) {
        return Files.isRegularFile(home.resolve(".complete"));
    }

    private static void unpack(Path archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("Unexpected path in the archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Override
    public void close() {
        proxy.close();
        if (process.isAlive()) {
            workshop.JavaProcess.stop(process.toHandle(), STOP_GRACE);
        }
    }
}
