package workshop.stack;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A service of the workshop stack that a module may need. */
public enum Service {
    /** One Kafka broker: what almost every module needs. */
    KAFKA("kafka", "Kafka broker", "BOOTSTRAP_SERVERS"),
    /** Three brokers of their own cluster, for the replication module. */
    KAFKA_CLUSTER("kafka-cluster", "3-broker Kafka cluster", "CLUSTER_BOOTSTRAP_SERVERS"),
    CONNECT("connect", "Kafka Connect", "CONNECT_URL"),
    /** A JDBC URL; user and password are both {@code workshop}. */
    POSTGRES("postgres", "PostgreSQL", "POSTGRES_URL"),
    SCHEMA_REGISTRY("schema-registry", "Schema Registry", "SCHEMA_REGISTRY_URL"),
    KSQLDB("ksqldb", "ksqlDB server", "KSQLDB_URL");

    private final String id;
    private final String title;
    private final String variable;

    Service(String id, String title, String variable) {
        this.id = id;
        this.title = title;
        this.variable = variable;
    }

    /**
     * The environment variable that tells a program where this service answers,
     * e.g. {@code BOOTSTRAP_SERVERS}. Exercises read it; so does the external stack.
     */
    public String variable() {
        return variable;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    @JsonCreator
    public static Service fromId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown service '" + id + "'; known: "
                        + Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "))));
    }
}
