package workshop.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Fast answers to "is something there?", so nothing waits for a client's 60-second default. */
public final class Reachability {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);
    /** How long a broker may take to answer ApiVersions: milliseconds, even on a loaded laptop. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(2500);
    private static final int API_VERSIONS = 18;
    private static final int PROBE_CORRELATION_ID = 0x5eed;
    /** A secured, shared cluster: TLS and SASL handshakes take round trips, and it is often farther away. */
    private static final Duration SECURED_KAFKA_TIMEOUT = Duration.ofSeconds(15);

    private Reachability() {
    }

    /** True when something accepts TCP connections at host:port. */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when a server could listen on this port of the loopback interface. Like the servers
     * themselves, the probe ignores connections of a stopped server that linger in TIME_WAIT
     * (except on Windows, where that option would let it share a port another program holds).
     */
    public static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win"));
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when host:port answers an ApiVersions request, the first thing every Kafka client
     * sends, with a response that carries the request's correlation id. Version 0 of the request:
     * a broker that no longer supports it still answers it (with an error), so any broker does.
     */
    static boolean speaksKafka(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                    (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            byte[] clientId = "workshop-probe".getBytes(StandardCharsets.US_ASCII);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length); // size, then header v1: api key, version, correlation id, client id
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(PROBE_CORRELATION_ID);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            return size >= 4 && in.readInt() == PROBE_CORRELATION_ID;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Checks that a Kafka broker answers at these bootstrap servers, in at most a few seconds.
     *
     * @param howToStart what the learner should do when nothing answers
     * @throws StackException naming the address and how to start a broker
     */
    public static void requireKafka(String bootstrapServers, String howToStart) {
        requireKafka(bootstrapServers, Map.of(), howToStart);
    }

    /** The same, for a secured cluster: with its client settings (security.protocol, sasl.*, ssl.*). */
    public static void requireKafka(String bootstrapServers, Map<String, String> clientSettings, String howToStart) {
        // A broker that listens answers at once on a quiet machine; a loaded one is given longer (an
        // address where nothing listens still fails at once, below).
        Duration timeout = MachinePace.scale(clientSettings.isEmpty() ? KAFKA_TIMEOUT : SECURED_KAFKA_TIMEOUT);
        boolean anyAnswers = false;
        for (String server : bootstrapServers.split(",")) {
            String hostPort = server.trim();
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new StackException("Bootstrap server '" + hostPort + "' has no port; write it as host:port, e.g. localhost:9092.");
            }
            String host = hostPort.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new StackException("Bootstrap server '" + hostPort + "' has no valid port; write it as host:port, e.g. localhost:9092.");
            }
            anyAnswers |= answers(host, port);
        }
        if (!anyAnswers) {
            throw new StackException("No Kafka broker answers at " + bootstrapServers + ". " + howToStart);
        }
        boolean tls = clientSettings.getOrDefault("security.protocol", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT).contains("SSL");
        if (!tls && Arrays.stream(bootstrapServers.split(",")).map(String::trim).noneMatch(Reachability::speaksKafka)) {
            throw new StackException("Something listens at " + bootstrapServers + " but it is not a Kafka broker (it does not answer"
                    + " Kafka's first request within " + PROBE_TIMEOUT.toMillis() / 1000.0 + " s). " + howToStart);
        }
        Map<String, Object> config = KafkaClientSettings.with(clientSettings, Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (org.apache.kafka.common.KafkaException e) { // client settings Kafka refuses, e.g. a bad sasl.jaas.config
            throw new StackException("The Kafka client settings for " + bootstrapServers + " are not valid: " + e.getMessage());
        } catch (TimeoutException | ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException refused) {
                throw new StackException("The broker at " + bootstrapServers + " refused the client's credentials: " + refused.getMessage()
                        + " Check security.protocol, sasl.mechanism and sasl.jaas.config (" + KafkaClientSettings.FILE_VARIABLE + ").");
            }
            throw new StackException("Something listens at " + bootstrapServers
                    + " but it does not answer as a Kafka broker within " + timeout.toSeconds() + " s. " + howToStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while checking the broker at " + bootstrapServers);
        }
    }
}
