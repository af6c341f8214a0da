package workshop.stack.embedded;

import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import workshop.stack.MachinePace;
import workshop.stack.StackException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kafka Connect worker in this JVM (distributed mode, one worker), with the connectors the
 * modules use on the classpath: Debezium's PostgreSQL source, Debezium's JDBC sink, and Kafka's
 * file connectors. Ready when its REST API lists connectors.
 *
 * <p>Against a secured cluster (a room's), {@link #start(String, int, Map)} takes the worker's
 * client settings (security.protocol, sasl.*, ssl.*): the worker's own clients use them, and so
 * do the producers, consumers and admins it makes for connectors. The worker then acts as one
 * principal for every connector; what that principal needs is in the instructor guide.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** The worker's group, and the prefix of its internal topics (configs, offsets, status): what its login needs on a secured cluster. */
    public static final String GROUP = "workshop-connect";
    public static final String INTERNAL_TOPIC_PREFIX = "_connect-";
    /** The worker's own clients, then those it makes for source connectors, sink connectors, and both (topics, dead letters). */
    private static final List<String> CLIENT_PREFIXES = List.of("", "producer.", "consumer.", "admin.");

    private final Connect worker;
    private final String url;

    private EmbeddedConnect(Connect worker, String url) {
        this.worker = worker;
        this.url = url;
    }

    /** @param port 0 for a free port */
    public static EmbeddedConnect start(String bootstrapServers, int port) {
        return start(bootstrapServers, port, Map.of());
    }

    /**
     * @param port           0 for a free port
     * @param clientSettings a secured cluster's client settings for the worker's login, e.g.
     *                       security.protocol, sasl.mechanism, sasl.jaas.config; empty for a plain broker
     */
    public static EmbeddedConnect start(String bootstrapServers, int port, Map<String, String> clientSettings) {
        int restPort = port > 0 ? port : HttpService.freePort("Kafka Connect");
        Map<String, String> config = workerConfig(bootstrapServers, restPort, clientSettings);
        Connect worker;
        try {
            worker = new ConnectDistributed().startConnect(config);
        } catch (RuntimeException e) {
            throw new StackException("Kafka Connect did not start: " + e.getMessage(), e);
        }
        EmbeddedConnect connect = new EmbeddedConnect(worker, "http://localhost:" + restPort);
        connect.awaitReady();
        return connect;
    }

    /**
     * This worker's configuration, as a worker's properties file would hold it: its group and
     * internal topics, converters, REST listener on {@code restPort}, plugins from the classpath,
     * and the cluster's client settings for the worker's clients and its connectors'.
     */
    public static Map<String, String> workerConfig(String bootstrapServers, int restPort, Map<String, String> clientSettings) {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("group.id", GROUP);
        config.put("config.storage.topic", INTERNAL_TOPIC_PREFIX + "configs");
        config.put("offset.storage.topic", INTERNAL_TOPIC_PREFIX + "offsets");
        config.put("status.storage.topic", INTERNAL_TOPIC_PREFIX + "status");
        config.put("config.storage.replication.factor", "1");
        config.put("offset.storage.replication.factor", "1");
        config.put("status.storage.replication.factor", "1");
        // JSON without the schema envelope, unless a connector asks otherwise (as in docker-compose.yml).
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "false");
        config.put("value.converter.schemas.enable", "false");
        config.put("listeners", "http://localhost:" + restPort);
        config.put("rest.advertised.host.name", "localhost");
        // Plugins from the classpath, found through their service files: 4 s instead of a 10 s scan.
        config.put("plugin.discovery", "service_load");
        config.put("offset.flush.interval.ms", "1000");
        config.put("connector.client.config.override.policy", "All");
        // The worker's own clients take the top-level settings; the connectors' clients only their prefixed copies.
        clientSettings.forEach((name, value) -> {
            for (String prefix : CLIENT_PREFIXES) {
                config.put(prefix + name, value);
            }
        });
        return config;
    }

    private void awaitReady() {
        Duration readyWithin = MachinePace.scale(READY_TIMEOUT); // longer on a loaded machine
        if (!HttpService.awaitOk(url + "/connectors", readyWithin, () -> true)) {
            close();
            throw new StackException("Kafka Connect did not answer at " + url + " within " + readyWithin.toSeconds() + " s.");
        }
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        worker.stop();
        worker.awaitStop();
    }
}
