package workshop.stack.containers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A Kafka Connect worker as the {@code connect} service of docker-compose.yml: the image is built
 * from the workshop's {@code docker/connect/Dockerfile} (Debezium's Connect image with the
 * PostgreSQL source, the JDBC sink and the FileStream connectors), with the same build argument
 * and environment; the sample data folder is at {@code /data} (read by the FileStream source).
 * Other containers (ksqlDB) reach it at {@code http://connect:8083}.
 *
 * <p>The image is built once and kept under a stable name ({@value #IMAGE_NAME}); later runs
 * reuse Docker's build cache, so nothing is downloaded again. Ready when {@code GET /connectors}
 * answers 200, which needs Kafka (its config, offset and status topics); the connectors read
 * PostgreSQL, so it starts after both.
 */
public class ConnectContainer extends GenericContainer<ConnectContainer> {

    /** The base image's tag: docker-compose.yml's build argument, and the Dockerfile's default. */
    public static final String DEBEZIUM_VERSION = "3.6.0.Final";

    /** The image the Dockerfile builds on: pulled by the first build. */
    public static final String BASE_IMAGE = "quay.io/debezium/connect:" + DEBEZIUM_VERSION;

    /** Where the built image is kept between runs ("localhost/": never pulled from a registry). */
    public static final String IMAGE_NAME = "localhost/kafka-ksqldb-workshop/connect:" + DEBEZIUM_VERSION;

    public static final String NETWORK_ALIAS = "connect";
    public static final int PORT = 8083;
    public static final String READY_PATH = "/connectors";
    public static final String DATA_DIR = "/data";

    /** A worker starts in 20 to 60 s; its first start also builds the image. */
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

    private final ImageFromDockerfile image;

    /**
     * @param buildContext the folder holding the Dockerfile, {@code docker/connect} in the workshop
     * @param data         the sample data folder, {@code data} in the workshop, copied to {@value #DATA_DIR}
     */
    public ConnectContainer(Path buildContext, Path data, WorkshopKafkaContainer kafka, WorkshopPostgresContainer postgres,
                            Network network) {
        this(image(buildContext), data, kafka, postgres, network);
    }

    private ConnectContainer(ImageFromDockerfile image, Path data, WorkshopKafkaContainer kafka, WorkshopPostgresContainer postgres,
                             Network network) {
        super(image);
        this.image = image;
        withNetwork(network);
        withNetworkAliases(NETWORK_ALIAS);
        withExposedPorts(PORT);
        // Debezium's image turns these into connect-distributed.properties (CONNECT_FOO_BAR -> foo.bar).
        withEnv("BOOTSTRAP_SERVERS", kafka.networkBootstrapServers());
        withEnv("GROUP_ID", "workshop-connect");
        withEnv("CONFIG_STORAGE_TOPIC", "_connect-configs");
        withEnv("OFFSET_STORAGE_TOPIC", "_connect-offsets");
        withEnv("STATUS_STORAGE_TOPIC", "_connect-status");
        withEnv("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "1");
        withEnv("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR", "1");
        withEnv("CONNECT_STATUS_STORAGE_REPLICATION_FACTOR", "1");
        withEnv("ADVERTISED_HOST_NAME", NETWORK_ALIAS);
        withEnv("KEY_CONVERTER", "org.apache.kafka.connect.json.JsonConverter");
        withEnv("VALUE_CONVERTER", "org.apache.kafka.connect.json.JsonConverter");
        withEnv("CONNECT_KEY_CONVERTER_SCHEMAS_ENABLE", "false");
        withEnv("CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE", "false");
        withEnv("OFFSET_FLUSH_INTERVAL_MS", "10000");
        withEnv("HEAP_OPTS", "-Xms256m -Xmx512m");
        // Copied, not bind-mounted: works with a remote Docker engine too.
        withCopyFileToContainer(MountableFile.forHostPath(data), DATA_DIR);
        dependsOn(kafka, postgres);
        waitingFor(Wait.forHttp(READY_PATH).forPort(PORT).forStatusCode(200).withStartupTimeout(STARTUP_TIMEOUT));
    }

    /**
     * The image, built from the Dockerfile in {@code buildContext} with docker-compose.yml's build
     * argument, and kept after the JVM exits ({@code deleteOnExit} false) so that the next run
     * finds it in Docker's cache.
     */
    public static ImageFromDockerfile image(Path buildContext) {
        return new ImageFromDockerfile(IMAGE_NAME, false)
                .withFileFromPath(".", buildContext)
                .withBuildArg("DEBEZIUM_VERSION", DEBEZIUM_VERSION);
    }

    /** The image this container is built from (not built until the container starts). */
    public ImageFromDockerfile image() {
        return image;
    }

    /** Where clients on the host reach it: {@code http://host:mappedPort}. */
    public String url() {
        return "http://" + getHost() + ":" + getMappedPort(PORT);
    }

    /** Where other containers on the network reach it: {@code http://connect:8083}. */
    public static String networkUrl() {
        return "http://" + NETWORK_ALIAS + ":" + PORT;
    }

    /** Public so that tests can run the real wait strategy against a stand-in server. */
    @Override
    public WaitStrategy getWaitStrategy() {
        return super.getWaitStrategy();
    }
}
