package workshop.stack.containers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * Confluent's Schema Registry, as the {@code schema-registry} service of docker-compose.yml: the
 * same image and environment, reached by other containers at {@code http://schema-registry:8081}.
 *
 * <p>Ready when {@code GET /subjects} answers 200 (the compose health check asks the same), which
 * needs its Kafka store topic: so it {@linkplain #dependsOn depends on} its Kafka.
 */
public class SchemaRegistryContainer extends GenericContainer<SchemaRegistryContainer> {

    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse("confluentinc/cp-schema-registry:8.3.1");

    public static final String NETWORK_ALIAS = "schema-registry";
    public static final int PORT = 8081;
    public static final String READY_PATH = "/subjects";

    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    public SchemaRegistryContainer(WorkshopKafkaContainer kafka, Network network) {
        this(DEFAULT_IMAGE, kafka, network);
    }

    public SchemaRegistryContainer(DockerImageName image, WorkshopKafkaContainer kafka, Network network) {
        super(image);
        image.assertCompatibleWith(DockerImageName.parse("confluentinc/cp-schema-registry"));
        withNetwork(network);
        withNetworkAliases(NETWORK_ALIAS);
        withExposedPorts(PORT);
        withEnv("SCHEMA_REGISTRY_HOST_NAME", NETWORK_ALIAS);
        withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + PORT);
        withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + kafka.networkBootstrapServers());
        withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1");
        withEnv("SCHEMA_REGISTRY_HEAP_OPTS", "-Xms128m -Xmx256m");
        dependsOn(kafka);
        waitingFor(Wait.forHttp(READY_PATH).forPort(PORT).forStatusCode(200).withStartupTimeout(STARTUP_TIMEOUT));
    }

    /** Where clients on the host reach it: {@code http://host:mappedPort}. */
    public String url() {
        return "http://" + getHost() + ":" + getMappedPort(PORT);
    }

    /** Where other containers on the network reach it: {@code http://schema-registry:8081}. */
    public String networkUrl() {
        return "http://" + NETWORK_ALIAS + ":" + PORT;
    }

    /** Public so that tests can run the real wait strategy against a stand-in server. */
    @Override
    public WaitStrategy getWaitStrategy() {
        return super.getWaitStrategy();
    }
}
