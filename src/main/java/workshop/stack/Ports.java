package workshop.stack;

/**
 * The fixed ports of the workshop stack on the learner's machine. The background embedded stack
 * ({@code stack up}) and the docker-compose stack of the live workshop use the same ones, so an
 * exercise finds Kafka at localhost:9092 whichever runs. Each can be changed with the environment
 * variable named here.
 */
public enum Ports {
    KAFKA(Service.KAFKA, 9092, "WORKSHOP_KAFKA_PORT"),
    /** First of three consecutive ports: 19092, 19093, 19094. */
    KAFKA_CLUSTER(Service.KAFKA_CLUSTER, 19092, "WORKSHOP_CLUSTER_PORT"),
    SCHEMA_REGISTRY(Service.SCHEMA_REGISTRY, 8081, "WORKSHOP_SCHEMA_REGISTRY_PORT"),
    CONNECT(Service.CONNECT, 8083, "WORKSHOP_CONNECT_PORT"),
    KSQLDB(Service.KSQLDB, 8088, "WORKSHOP_KSQLDB_PORT"),
    /** Not 5432: many laptops already run a PostgreSQL there. */
    POSTGRES(Service.POSTGRES, 15432, "WORKSHOP_POSTGRES_PORT");

    private final Service service;
    private final int defaultPort;
    private final String variable;

    Ports(Service service, int defaultPort, String variable) {
        this.service = service;
        this.defaultPort = defaultPort;
        this.variable = variable;
    }

    public Service service() {
        return service;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The environment variable that moves this service to another port. */
    public String variable() {
        return variable;
    }

    /** The port to use: the environment variable's value, else the default. */
    public int port() {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new StackException(variable + "=" + value + " is not a port number.");
        }
    }

    /** Every port the service listens on: three consecutive ones for the 3-broker cluster, else one. */
    public java.util.List<Integer> numbers() {
        int first = port();
        return this == KAFKA_CLUSTER ? java.util.List.of(first, first + 1, first + 2) : java.util.List.of(first);
    }

    public static Ports of(Service service) {
        for (Ports p : values()) {
            if (p.service == service) {
                return p;
            }
        }
        throw new IllegalArgumentException("No port for " + service);
    }
}
