package workshop.stack.embedded;

import workshop.stack.BrokerControl;

import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Apache Kafka cluster (KRaft mode) inside this JVM, from Kafka's own test kit.
 *
 * <p>This is the only class that touches Kafka's internal test kit, so a Kafka upgrade that
 * changes it breaks one file. One broker runs as a combined broker+controller node; several
 * brokers get a controller of their own (three combined nodes in one JVM are unstable).
 */
public final class EmbeddedKafka implements AutoCloseable, BrokerControl {

    /** Listener the test kit binds on a free port: used by graders in tests. */
    private static final String INTERNAL_LISTENER = "EXTERNAL";
    /** Extra listener on a fixed port, so that any Kafka client finds the broker at localhost:9092. */
    private static final String LEARNER_LISTENER = "PLAINTEXT";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    static final int SINGLE_BROKER_SESSION_MS = 30_000;
    static final int CLUSTER_SESSION_MS = 2_000;

    /**
     * Formats and starts a cluster and waits until every broker is ready.
     *
     * @param brokers    number of brokers (1 for most modules, 3 for replication)
     * @param fixedPort  port of the first broker's learner listener, or 0 for none
     * @param dataDir    where the brokers keep their logs
     */
    public static EmbeddedKafka start(int brokers, int fixedPort, Path dataDir) throws Exception {
        return start(brokers, fixedPort, dataDir, null);
    }

    /**
     * A listener more on every broker, on a free port, and the broker settings that go with it:
     * a room's secured listener (SASL, an authorizer) in the tests. The cluster's own listeners
     * stay plaintext: its brokers, controller and test kit reach each other as ANONYMOUS.
     *
     * @param name             the listener's name, e.g. ROOM
     * @param securityProtocol e.g. SASL_PLAINTEXT
     * @param brokerSettings   e.g. sasl.enabled.mechanisms, authorizer.class.name, super.users
     */
    public record Listener(String name, String securityProtocol, Map<String, Object> brokerSettings) {
    }

    /** As {@link #start(int, int, Path)}, with one more listener ({@code extra}, or none when null); see {@link #bootstrapServers(String)}. */
    public static EmbeddedKafka start(int brokers, int fixedPort, Path dataDir, Listener extra) throws Exception {
        boolean combined = brokers == 1;
        TestKitNodes.Builder nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                .setCombined(combined)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(brokers)
                .setBaseDirectory(dataDir);
        if (fixedPort > 0 || extra != null) {
            nodes.setPerServerProperties(listenerProperties(brokers, fixedPort, combined, extra));
        }
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes.build())
                .setConfigProp("listener.security.protocol.map",
                        INTERNAL_LISTENER + ":PLAINTEXT,CONTROLLER:PLAINTEXT," + LEARNER_LISTENER + ":PLAINTEXT"
                                + (extra == null ? "" : "," + extra.name() + ":" + extra.securityProtocol()))
                .setConfigProp("offsets.topic.replication.factor", (short) Math.min(brokers, 3))
                .setConfigProp("transaction.state.log.replication.factor", (short) Math.min(brokers, 3))
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                // The ratings carry their own times, months back: with the default 7 days the broker
                // would delete them at its next retention check, minutes after they were written.
                .setConfigProp("log.retention.ms", -1L)
                // A stopped broker (replication module) is back within a second or two, not ten; but a busy
                // machine delays heartbeats, and a broker fenced for a late one refuses every client
                // ("all brokers are fenced"): the single broker, which nothing stops, gets a long session.
                .setConfigProp("broker.session.timeout.ms", combined ? SINGLE_BROKER_SESSION_MS
                        : (int) (CLUSTER_SESSION_MS * workshop.stack.MachinePace.factor()))
                .setConfigProp("broker.heartbeat.interval.ms", 500)
                .setConfigProp("auto.create.topics.enable", true)
                // Unstable (pre-release) features stay off: learners get what a production broker offers.
                .setConfigProp("unstable.api.versions.enable", false)
                .setConfigProp("unstable.feature.versions.enable", false);
        if (extra != null) {
            extra.brokerSettings().forEach(builder::setConfigProp);
        }
        KafkaClusterTestKit cluster = builder.build();
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        String bootstrap = fixedPort > 0
                ? java.util.stream.IntStream.range(0, brokers).mapToObj(i -> "localhost:" + (fixedPort + i))
                        .collect(java.util.stream.Collectors.joining(","))
                : cluster.bootstrapServers();
        return new EmbeddedKafka(cluster, bootstrap);
    }

    /** Kafka's storage formatter prints to standard output, which is the learner's screen here. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        synchronized (System.class) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(out);
            }
        }
    }

    private static Map<Integer, Map<String, String>> listenerProperties(int brokers, int fixedPort, boolean combined, Listener extra) {
        Map<Integer, Map<String, String>> perServer = new HashMap<>();
        for (int i = 0; i < brokers; i++) {
            int nodeId = i; // the test kit numbers brokers from 0
            String listeners = INTERNAL_LISTENER + "://localhost:0";
            if (fixedPort > 0) {
                listeners += "," + LEARNER_LISTENER + "://localhost:" + (fixedPort + i);
            }
            if (extra != null) {
                listeners += "," + extra.name() + "://localhost:0";
            }
            if (combined) {
                listeners += ",CONTROLLER://localhost:0";
            }
            perServer.put(nodeId, Map.of("listeners", listeners));
        }
        return perServer;
    }

    /** The stable metadata version with every production feature at its default level. */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new HashMap<>();
        features.put(MetadataVersion.FEATURE_NAME, version.featureLevel());
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "workshop");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Every broker's address on this listener (the extra one of {@link #start(int, int, Path, Listener)}). */
    public String bootstrapServers(String listener) {
        return cluster.brokers().values().stream().map(broker -> "localhost:" + broker.boundPort(new ListenerName(listener)))
                .collect(java.util.stream.Collectors.joining(","));
    }

    @Override
    public void stopBroker(int brokerId) {
        broker(brokerId).shutdown();
        broker(brokerId).awaitShutdown();
    }

    @Override
    public void startBroker(int brokerId) {
        broker(brokerId).startup();
    }

    private kafka.server.BrokerServer broker(int brokerId) {
        kafka.server.BrokerServer broker = cluster.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + brokerId + "; brokers: " + cluster.brokers().keySet());
        }
        return broker;
    }

    @Override
    public synchronized void close() throws Exception {
        if (!closed) { // the test kit throws when closed twice
            closed = true;
            cluster.close();
        }
    }
}
