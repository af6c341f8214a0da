package workshop.stack.containers;

import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import workshop.stack.Endpoints;

import java.nio.file.Path;

/**
 * PostgreSQL as the {@code postgres} service of docker-compose.yml, on Testcontainers' postgresql
 * module (2.x: {@code org.testcontainers.postgresql.PostgreSQLContainer}): database, user and
 * password {@code workshop}; logical decoding for Debezium; the seed scripts of
 * {@code docker/postgres/init} run once by the image's entrypoint from
 * {@value #INIT_DIR}. Other containers reach it at {@code postgres:5432}.
 *
 * <p>Ready: the module's own wait (the server's "ready to accept connections", logged twice: once
 * by the temporary server that runs the seed scripts, once by the real one).
 */
public class WorkshopPostgresContainer extends PostgreSQLContainer {

    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("postgres:17");

    public static final String NETWORK_ALIAS = "postgres";
    public static final String DATABASE = "workshop";
    public static final String INIT_DIR = "/docker-entrypoint-initdb.d";

    /** docker-compose.yml's command: one replication slot and one WAL sender per Debezium connector. */
    static final String[] COMMAND = {"postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10"};

    /**
     * @param initScripts the folder of seed scripts, {@code docker/postgres/init} in the workshop
     */
    public WorkshopPostgresContainer(Path initScripts, Network network) {
        this(DEFAULT_IMAGE, initScripts, network);
    }

    public WorkshopPostgresContainer(DockerImageName image, Path initScripts, Network network) {
        super(image);
        withDatabaseName(DATABASE);
        withUsername(Endpoints.POSTGRES_USER);
        withPassword(Endpoints.POSTGRES_PASSWORD);
        withCommand(COMMAND);
        withNetwork(network);
        withNetworkAliases(NETWORK_ALIAS);
        // Copied, not bind-mounted: works with a remote Docker engine too.
        withCopyFileToContainer(MountableFile.forHostPath(initScripts), INIT_DIR);
    }

    /** The workshop's JDBC URL, without the module's extra parameters: {@code jdbc:postgresql://host:port/workshop}. */
    public String workshopJdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + getMappedPort(POSTGRESQL_PORT) + "/" + DATABASE;
    }

    /** The module's own wait strategy, public so that tests can see which one it is. */
    @Override
    public WaitStrategy getWaitStrategy() {
        return super.getWaitStrategy();
    }
}
