package workshop.stack;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings a Kafka client needs for a secured cluster (security.protocol, sasl.mechanism,
 * sasl.jaas.config, ssl.*), gathered from where a room's instructor puts them:
 * <ol>
 *   <li>a client properties file named by {@code KAFKA_CLIENT_PROPERTIES} (the environment) or
 *       {@code kafka.client.properties} (stack.properties), as Kafka's own tools take it;</li>
 *   <li>client properties written straight into stack.properties, beside bootstrap.servers;</li>
 *   <li>environment variables in the style of Kafka's container images: {@code KAFKA_SASL_MECHANISM}
 *       is sasl.mechanism.</li>
 * </ol>
 * Later sources win. Only names Kafka's clients know are taken, so a stray KAFKA_HEAP_OPTS is no
 * client setting. Exercises read the file that {@link #FILE_VARIABLE} names.
 */
public final class KafkaClientSettings {

    /** The environment variable (exercises and the runner) naming a client properties file. */
    public static final String FILE_VARIABLE = "KAFKA_CLIENT_PROPERTIES";
    /** The same, as a key of stack.properties. */
    public static final String FILE_KEY = "kafka.client.properties";
    private static final String ENV_PREFIX = "KAFKA_";

    /** Every client setting but the address, which is {@code BOOTSTRAP_SERVERS}'s business. */
    private static final Set<String> CLIENT_NAMES = clientNames();

    private static final Map<Map<String, String>, Path> WRITTEN = new ConcurrentHashMap<>();

    private KafkaClientSettings() {
    }

    private static Set<String> clientNames() {
        Set<String> names = new java.util.HashSet<>(AdminClientConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return Set.copyOf(names);
    }

    /** True for a name Kafka's clients know, e.g. sasl.jaas.config. */
    public static boolean isClientSetting(String name) {
        return CLIENT_NAMES.contains(name);
    }

    /**
     * The client settings from the three sources above.
     *
     * @param stackFile the content of stack.properties (empty when there is none)
     * @param root      where a relative file name is resolved
     */
    public static Map<String, String> gather(Properties stackFile, Map<String, String> environment, Path root) {
        Map<String, String> settings = new TreeMap<>();
        String file = environment.getOrDefault(FILE_VARIABLE, stackFile.getProperty(FILE_KEY));
        if (file != null && !file.isBlank()) {
            settings.putAll(read(root.resolve(file.trim())));
        }
        stackFile.stringPropertyNames().stream().filter(KafkaClientSettings::isClientSetting)
                .forEach(name -> settings.put(name, stackFile.getProperty(name).trim()));
        environment.forEach((variable, value) -> {
            if (variable.startsWith(ENV_PREFIX) && !variable.equals(FILE_VARIABLE)) {
                String name = variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (isClientSetting(name) && !value.isBlank()) {
                    settings.put(name, value.trim());
                }
            }
        });
        return settings;
    }

    /** A client properties file, e.g. the one {@code KAFKA_CLIENT_PROPERTIES} names. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new StackException("The Kafka client properties file " + file + " does not exist (" + FILE_VARIABLE + ").");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new StackException("Cannot read the Kafka client properties file " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).trim()));
        return settings;
    }

    /**
     * A client's configuration with the cluster's settings added: the client's own settings
     * (serializers, timeouts) win, the security settings fill in.
     */
    public static Map<String, Object> with(Map<String, String> settings, Map<String, ?> config) {
        Map<String, Object> merged = new HashMap<>(settings);
        merged.putAll(config);
        return merged;
    }

    /**
     * The settings in a file only this user can read (they hold passwords), for programs that
     * take a file: exercises, Kafka's command-line tools. One file per distinct settings.
     */
    public static Path file(Map<String, String> settings) {
        return WRITTEN.computeIfAbsent(Map.copyOf(settings), KafkaClientSettings::write);
    }

    private static Path write(Map<String, String> settings) {
        try {
            Path file;
            try {
                file = Files.createTempFile("kafka-client-", ".properties",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) { // Windows: the user's temp folder is private already
                file = Files.createTempFile("kafka-client-", ".properties");
            }
            file.toFile().deleteOnExit();
            Properties properties = new Properties();
            properties.putAll(settings);
            try (Writer writer = Files.newBufferedWriter(file)) {
                properties.store(writer, "Kafka client settings of the workshop's stack (written by the runner)");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka client settings to a file", e);
        }
    }
}
