package workshop.stack.embedded;

import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import workshop.stack.StackException;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka Connect worker in this JVM (distributed mode, one worker), with the connectors the
 * modules use on the classpath: Debezium's PostgreSQL source, Debezium's JDBC sink, and Kafka's
 * file connectors. Ready when its REST API lists connectors.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Connect worker;
    private final String url;

    private EmbeddedConnect(Connect worker, String url) {
        this.worker = worker;
        this.url = url;
    }

    /** @param port 0 for a free port */
    public static EmbeddedConnect start(String bootstrapServers, int port) {
        int restPort = port > 0 ? port : HttpService.freePort("Kafka Connect");
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("group.id", "workshop-connect");
        config.put("config.storage.topic", "_connect-configs");
        config.put("offset.storage.topic", "_connect-offsets");
        config.put("status.storage.topic", "_connect-status");
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

    private void awaitReady() {
        if (!HttpService.awaitOk(url + "/connectors", READY_TIMEOUT, () -> true)) {
            close();
            throw new StackException("Kafka Connect did not answer at " + url + " within " + READY_TIMEOUT.toSeconds() + " s.");
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
