package workshop.stack;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the services of a running stack answer: a bootstrap address for Kafka, a URL for the
 * HTTP services, a JDBC URL for PostgreSQL. A service that does not run has no address.
 *
 * @param kafkaClient what every Kafka client of a secured cluster adds to its configuration
 *                    (security.protocol, sasl.*, ssl.*); empty for the workshop's own stacks
 * @param userInfos   the {@code user:password} of HTTP services that ask for a login (room mode,
 *                    {@link HttpCredentials}); empty for the workshop's own stacks
 */
public record Endpoints(Map<Service, String> addresses, Map<String, String> kafkaClient, Map<Service, String> userInfos) {

    public static final String POSTGRES_USER = "workshop";
    public static final String POSTGRES_PASSWORD = "workshop";
    /** Where Apicurio Registry serves Confluent's API; the rest of its URL is its base. */
    public static final String APICURIO_CONFLUENT_API = "/apis/ccompat/v7";

    public Endpoints {
        EnumMap<Service, String> copy = new EnumMap<>(Service.class);
        addresses.forEach((service, address) -> {
            if (address != null && !address.isBlank()) {
                copy.put(service, address);
            }
        });
        addresses = Collections.unmodifiableMap(copy);
        kafkaClient = kafkaClient == null ? Map.of() : Map.copyOf(kafkaClient);
        userInfos = userInfos == null ? Map.of() : Map.copyOf(userInfos);
    }

    public Endpoints(Map<Service, String> addresses, Map<String, String> kafkaClient) {
        this(addresses, kafkaClient, Map.of());
    }

    public Endpoints(Map<Service, String> addresses) {
        this(addresses, Map.of());
    }

    public static Endpoints none() {
        return new Endpoints(Map.of());
    }

    public Endpoints with(Service service, String address) {
        EnumMap<Service, String> copy = new EnumMap<>(Service.class);
        copy.putAll(addresses);
        copy.put(service, address);
        return new Endpoints(copy, kafkaClient, userInfos);
    }

    /** The address of a service, or null when it does not run. */
    public String address(Service service) {
        return addresses.get(service);
    }

    /** The {@code user:password} an HTTP service asks for, or null when it asks for none. */
    public String userInfo(Service service) {
        return userInfos.get(service);
    }

    public String bootstrapServers() {
        return address(Service.KAFKA);
    }

    /**
     * The environment variables that exercises read to find the stack, e.g.
     * {@code BOOTSTRAP_SERVERS=localhost:9092}. Only running services appear.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        addresses.forEach((service, address) -> env.put(service.variable(), address));
        if (addresses.containsKey(Service.POSTGRES)) {
            env.put("POSTGRES_USER", POSTGRES_USER);
            env.put("POSTGRES_PASSWORD", POSTGRES_PASSWORD);
        }
        if (!kafkaClient.isEmpty()) {
            env.put(KafkaClientSettings.FILE_VARIABLE, KafkaClientSettings.file(kafkaClient).toString());
        }
        userInfos.forEach((service, userInfo) -> {
            if (addresses.containsKey(service)) {
                env.put(HttpCredentials.variable(service), userInfo);
            }
        });
        String registry = addresses.get(Service.SCHEMA_REGISTRY);
        if (registry != null && registry.endsWith(APICURIO_CONFLUENT_API)) {
            // The embedded registry is Apicurio's: its own serializers talk to its native API.
            env.put("APICURIO_REGISTRY_URL", registry.substring(0, registry.length() - APICURIO_CONFLUENT_API.length()) + "/apis/registry/v2");
        }
        return env;
    }

    /** Never prints the client settings nor the logins: they hold passwords. */
    @Override
    public String toString() {
        return "Endpoints" + addresses + (kafkaClient.isEmpty() ? "" : " with client settings " + kafkaClient.keySet())
                + (userInfos.isEmpty() ? "" : " with logins for " + userInfos.keySet());
    }
}
