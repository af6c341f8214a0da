package workshop.stack.containers;

import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;

/**
 * The workshop's Kafka broker: Testcontainers' own {@link KafkaContainer} (KRaft, broker and
 * controller in one process) with the settings of the {@code kafka} service in
 * docker-compose.yml.
 *
 * <p>Two ways in, as in docker-compose.yml: clients on the host use {@link #getBootstrapServers()}
 * (a mapped port, advertised as such by the module), and other containers on the same network use
 * {@value #NETWORK_ALIAS}:{@value #NETWORK_PORT} ({@link #networkBootstrapServers()}), a listener
 * added with {@link KafkaContainer#withListener(String)}, which also makes {@value #NETWORK_ALIAS}
 * a network alias of this container.
 *
 * <p>Ready: the module's own wait (the broker's log line "Transitioning from RECOVERY to RUNNING").
 */
public class WorkshopKafkaContainer extends KafkaContainer {

    /** Apache Kafka's own image, the same Kafka as the workshop's client jars (pom.xml kafka.version). */
    public static final DockerImageName DEFAULT_IMAGE = DockerImageName.parse(ContainerStack.KAFKA_IMAGE);

    public static final String NETWORK_ALIAS = "kafka";
    public static final int NETWORK_PORT = 29092;

    /** The first start of a small laptop's Docker can be slow; the module's default is 60 s. */
    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    public WorkshopKafkaContainer(Network network) {
        this(DEFAULT_IMAGE, network);
    }

    public WorkshopKafkaContainer(DockerImageName image, Network network) {
        super(image);
        withNetwork(network);
        withNetworkAliases(NETWORK_ALIAS);
        withListener(NETWORK_ALIAS + ":" + NETWORK_PORT);
        // docker-compose.yml's kafka service, less what the module manages itself (listeners,
        // advertised listeners, the listener map, the controller quorum).
        withEnv("CLUSTER_ID", "GI3gDDFWTJuEAf2S1195Hg");
        withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
        withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1");
        withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        withEnv("KAFKA_DEFAULT_REPLICATION_FACTOR", "1");
        withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
        withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        withEnv("KAFKA_LOG_RETENTION_MS", "-1"); // the ratings' past times (see EmbeddedKafka)
        withEnv("KAFKA_LOG_DIRS", "/tmp/kraft-combined-logs");
        withEnv("KAFKA_HEAP_OPTS", "-Xms256m -Xmx512m");
        withStartupTimeout(STARTUP_TIMEOUT);
    }

    /** Where other containers on the network reach this broker: {@code kafka:29092}. */
    public String networkBootstrapServers() {
        return NETWORK_ALIAS + ":" + NETWORK_PORT;
    }

    /** The module's own wait strategy, public so that tests can see which one it is. */
    @Override
    public WaitStrategy getWaitStrategy() {
        return super.getWaitStrategy();
    }
}
