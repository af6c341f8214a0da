package workshop.stack.external;

import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.KafkaClientSettings;
import workshop.stack.Progress;
import workshop.stack.Reachability;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * A stack that runs elsewhere: the docker-compose stack of a live workshop, a cluster an
 * instructor hands out, or the background stack of {@code stack up}. This class starts nothing;
 * it checks that what is asked for answers, and says clearly what is missing.
 *
 * <p>Endpoints come from environment variables ({@code BOOTSTRAP_SERVERS}, {@code CONNECT_URL},
 * {@code SCHEMA_REGISTRY_URL}, {@code POSTGRES_URL}, {@code KSQLDB_URL},
 * {@code CLUSTER_BOOTSTRAP_SERVERS}) or from a properties file with the same keys in lower case
 * with dots ({@code bootstrap.servers}, {@code connect.url}, ...); the environment wins. A secured
 * cluster's client settings come along: see {@link KafkaClientSettings}.
 */
public final class ExternalStack implements Stack {

    /** The properties file looked for in the workshop root. */
    public static final String PROPERTIES_FILE = "stack.properties";

    /** What the runner asks Connect first: the list of connectors, which needs the login if any does. */
    private static final String CONNECT_LOGIN_PROBE = "/connectors";
    private static final Duration LOGIN_PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final Endpoints endpoints;
    private final String origin;
    private final Set<Service> checked = EnumSet.noneOf(Service.class);

    /**
     * @param origin where the endpoints came from, for messages ("stack.properties", "the environment")
     */
    public ExternalStack(Endpoints endpoints, String origin) {
        this.endpoints = endpoints;
        this.origin = origin;
    }

    /**
     * The external stack configured by the environment or by {@code stack.properties} in the
     * workshop root, if any. Configured means: BOOTSTRAP_SERVERS is set, or the file exists.
     */
    public static Optional<ExternalStack> configured(Path root, Map<String, String> environment) {
        Properties file = new Properties();
        Path propertiesFile = root.resolve(PROPERTIES_FILE);
        if (Files.isRegularFile(propertiesFile)) {
            try (Reader reader = Files.newBufferedReader(propertiesFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + propertiesFile, e);
            }
        } else if (!environment.containsKey("BOOTSTRAP_SERVERS")) {
            return Optional.empty();
        }
        Function<String, String> setting = name -> {
            String value = environment.get(name);
            return value != null && !value.isBlank() ? value.trim()
                    : file.getProperty(name.toLowerCase().replace('_', '.'));
        };
        Map<Service, String> addresses = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            addresses.put(service, setting.apply(service.variable()));
        }
        // Room mode: a secured cluster's client settings (security.protocol, sasl.*, ssl.*), and the HTTP services' logins, if any.
        Endpoints endpoints = new Endpoints(addresses, KafkaClientSettings.gather(file, environment, root), HttpCredentials.gather(setting));
        String origin = Files.isRegularFile(propertiesFile) ? propertiesFile.toString() : "the environment (BOOTSTRAP_SERVERS)";
        return Optional.of(new ExternalStack(endpoints, origin));
    }

    @Override
    public String backend() {
        return "external";
    }

    @Override
    public synchronized void start(Set<Service> services, Progress progress) {
        for (Service service : services) {
            if (!checked.contains(service)) {
                check(service);
                checked.add(service);
            }
        }
    }

    private void check(Service service) {
        String address = endpoints.address(service);
        if (address == null) {
            throw new StackException("The external stack from " + origin + " has no " + service.title()
                    + " configured (" + service.variable() + ").");
        }
        if (service == Service.KAFKA || service == Service.KAFKA_CLUSTER) {
            Reachability.requireKafka(address, endpoints.kafkaClient(), "Is the stack from " + origin + " running?");
            return;
        }
        URI uri = URI.create(address.startsWith("jdbc:") ? address.substring("jdbc:".length()) : address);
        if (uri.getHost() == null || !Reachability.answers(uri.getHost(), uri.getPort())) {
            throw new StackException(service.title() + " does not answer at " + address + " (from " + origin + ").");
        }
        if (service == Service.CONNECT) {
            requireLogin(service, address + CONNECT_LOGIN_PROBE);
        }
    }

    /**
     * Room mode: a service that asks for a login the settings lack, or refuses theirs, is one line
     * now, before any exercise runs; any other answer (or none) is left to the grading.
     */
    private void requireLogin(Service service, String url) {
        String userInfo = endpoints.userInfo(service);
        HttpRequest request = HttpCredentials.authorize(HttpRequest.newBuilder(URI.create(url)), userInfo).timeout(LOGIN_PROBE_TIMEOUT).GET().build();
        try {
            int status = HttpClient.newBuilder().connectTimeout(LOGIN_PROBE_TIMEOUT).build()
                    .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 401 || status == 403) {
                throw new StackException(HttpCredentials.refused(service, endpoints.address(service), status, userInfo));
            }
        } catch (IOException e) {
            // No answer in time: the grading says what it finds.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized Set<Service> running() {
        return endpoints.addresses().keySet();
    }

    @Override
    public Endpoints endpoints() {
        return endpoints;
    }

    /** Nothing to stop: an external stack belongs to whoever started it. */
    @Override
    public void close() {
    }
}
