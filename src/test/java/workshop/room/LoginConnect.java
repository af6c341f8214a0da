package workshop.room;

import org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension;
import org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule;
import workshop.stack.HttpCredentials;
import workshop.stack.MachinePace;
import workshop.stack.embedded.EmbeddedConnect;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A room's Kafka Connect worker whose REST API asks for a login, as Apache Kafka ships it: the
 * {@link BasicAuthSecurityRestExtension} (worker setting {@code rest.extension.classes}) checks
 * HTTP basic authentication against a JAAS login module, here {@link PropertyFileLoginModule}
 * with a file of {@code user=password} lines.
 *
 * <p>The extension reads the JVM's one JAAS configuration ({@code java.security.auth.login.config}),
 * once, when its class loads: no setting of the worker can carry it. So this worker runs as
 * Kafka's own {@code connect-distributed} does, in a JVM of its own with that property, and the
 * test JVM's JAAS configuration stays untouched. Its settings are those of
 * {@link EmbeddedConnect} (the same group, internal topics, converters and plugins).
 */
public final class LoginConnect implements AutoCloseable {

    /** The JAAS entry the extension logs in with. */
    private static final String JAAS_ENTRY = "KafkaConnect";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final Process process;
    private final String url;
    private final Path log;

    private LoginConnect(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts the worker and waits until it answers the first of {@code logins} (user to password).
     *
     * @param clientSettings the worker's login to the cluster (security.protocol, sasl.*, ssl.*)
     */
    public static LoginConnect start(Path dir, String bootstrapServers, Map<String, String> clientSettings, Map<String, String> logins)
            throws Exception {
        Files.createDirectories(dir);
        Path users = dir.resolve("connect-users.properties");
        store(logins, users);
        Path jaas = dir.resolve("connect-jaas.conf");
        Files.writeString(jaas, JAAS_ENTRY + " {\n  " + PropertyFileLoginModule.class.getName() + " required\n  file=\""
                + users.toAbsolutePath().toString().replace('\\', '/') + "\";\n};\n");
        int port = ScramBroker.freePort();
        Properties worker = new Properties();
        worker.putAll(EmbeddedConnect.workerConfig(bootstrapServers, port, clientSettings));
        worker.put("rest.extension.classes", BasicAuthSecurityRestExtension.class.getName());
        Path workerProperties = dir.resolve("connect-distributed.properties");
        try (Writer writer = Files.newBufferedWriter(workerProperties)) {
            worker.store(writer, "a room's Connect worker with a login");
        }
        Path log = dir.resolve("connect.log");
        Process process = new ProcessBuilder(ScramBroker.java(
                List.of("-Xmx512m", "-Djava.security.auth.login.config=" + jaas.toAbsolutePath()),
                List.of("org.apache.kafka.connect.cli.ConnectDistributed", workerProperties.toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy)); // a killed test run leaves no worker behind
        LoginConnect connect = new LoginConnect(process, "http://localhost:" + port, log);
        try {
            connect.awaitReady(logins.entrySet().iterator().next());
        } catch (Exception | Error e) {
            connect.close();
            throw e;
        }
        return connect;
    }

    private static void store(Map<String, String> logins, Path file) throws IOException {
        Properties users = new Properties();
        users.putAll(logins);
        try (Writer writer = Files.newBufferedWriter(file)) {
            users.store(writer, "Kafka Connect's REST logins");
        }
    }

    public String url() {
        return url;
    }

    /** Until GET /connectors with this login answers 200: the worker has joined its group and checks logins. */
    private void awaitReady(Map.Entry<String, String> login) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpCredentials.authorize(HttpRequest.newBuilder(URI.create(url + "/connectors")), login.getKey() + ":" + login.getValue())
                .timeout(Duration.ofSeconds(5)).GET().build();
        Duration within = MachinePace.scale(READY_WITHIN);
        long deadline = System.nanoTime() + within.toNanos();
        int last = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Connect worker ended (exit " + process.exitValue() + "); see " + log);
            }
            try {
                last = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The Connect worker did not let " + login.getKey() + " in within " + within.toSeconds()
                + " s (last answer: HTTP " + last + "); see " + log);
    }

    @Override
    public void close() {
        workshop.JavaProcess.stop(process.toHandle(), Duration.ofSeconds(30));
    }
}
