package workshop.graders.capstone;

import com.fasterxml.jackson.databind.ObjectMapper;
import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connectors of the ksqlDB track's pipeline, made by its grader (on the Streams track the
 * learner's program makes them): Debezium's source of public.customers, as module 7, and JDBC
 * sinks of ksqlDB's Avro topics. Named {@code <prefix>-customers-source}, {@code -ratings-sink},
 * {@code -counts-sink}, as capstone2's, so that {@link PipelineGrader}'s clean-up removes them.
 */
final class PipelineConnectors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoints endpoints;
    private final String prefix;
    private final URI database;
    /** Where Connect reaches PostgreSQL (see {@link #reachedAt}): the grader's address unless told otherwise. */
    private String databaseHost;
    private int databasePort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PipelineConnectors(Endpoints endpoints, String prefix) {
        this.endpoints = endpoints;
        this.prefix = prefix;
        this.database = URI.create(endpoints.address(Service.POSTGRES).substring("jdbc:".length()));
        this.databaseHost = database.getHost();
        this.databasePort = database.getPort();
    }

    /** Connect reaches PostgreSQL at this host and port (postgres:5432 from a container), as DATABASE_HOST and DATABASE_PORT say. */
    PipelineConnectors reachedAt(String host, String port) {
        if (host != null && port != null) {
            this.databaseHost = host;
            this.databasePort = Integer.parseInt(port);
        }
        return this;
    }

    record Connector(String name, Map<String, String> config) {
    }

    /** Every row of public.customers, then every change, as JSON keyed by the id as text. */
    Connector customersSource(String topicPrefix) {
        String slot = (prefix + "_customers").toLowerCase().replaceAll("[^a-z0-9_]", "_");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("database.hostname", databaseHost);
        config.put("database.port", String.valueOf(databasePort));
        config.put("database.dbname", database.getPath().substring(1));
        config.put("database.user", Endpoints.POSTGRES_USER);
        config.put("database.password", Endpoints.POSTGRES_PASSWORD);
        config.put("topic.prefix", topicPrefix);
        config.put("table.include.list", "public.customers");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", slot);
        config.put("publication.name", slot);
        config.put("publication.autocreate.mode", "filtered");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "false");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.put("transforms", "unwrap,key");
        config.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        config.put("transforms.unwrap.delete.tombstone.handling.mode", "delete-to-tombstone");
        config.put("transforms.key.type", "org.apache.kafka.connect.transforms.ExtractField$Key");
        config.put("transforms.key.field", "id");
        return new Connector(prefix + "-customers-source", config);
    }

    /**
     * Upserts the Avro records ksqlDB writes to {@code topic} into {@code table}, by {@code primaryKey}.
     * The columns come from the schema in the registry: Apicurio's converter on the embedded stack
     * (its own API, Confluent's wire format), Confluent's on a Confluent stack.
     */
    Connector avroSink(String suffix, String topic, String table, String primaryKey) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("topics", topic);
        config.put("connection.url", "jdbc:postgresql://" + databaseHost + ":" + databasePort + database.getPath());
        config.put("connection.username", Endpoints.POSTGRES_USER);
        config.put("connection.password", Endpoints.POSTGRES_PASSWORD);
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        String apicurio = endpoints.environment().get("APICURIO_REGISTRY_URL");
        String registryLogin = endpoints.userInfo(Service.SCHEMA_REGISTRY); // room mode: the converter logs in too
        if (apicurio != null) {
            config.put("value.converter", "io.apicurio.registry.utils.converter.AvroConverter");
            config.put("value.converter.apicurio.registry.url", apicurio);
            config.put("value.converter.apicurio.registry.headers.enabled", "false");
            config.put("value.converter.apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
            config.put("value.converter.apicurio.registry.use-id", "contentId");
            HttpCredentials.apicurioSerdes(registryLogin).forEach((key, value) -> config.put("value.converter." + key, value));
        } else {
            config.put("value.converter", "io.confluent.connect.avro.AvroConverter");
            config.put("value.converter.schema.registry.url", endpoints.address(Service.SCHEMA_REGISTRY));
            HttpCredentials.confluentSerdes(registryLogin).forEach((key, value) -> config.put("value.converter." + key, value));
        }
        config.put("collection.name.format", table);
        config.put("schema.evolution", "basic");
        config.put("primary.key.mode", "record_value");
        config.put("primary.key.fields", primaryKey);
        config.put("insert.mode", "upsert");
        return new Connector(prefix + suffix, config);
    }

    /** Creates the connector, or updates it. */
    void put(Connector connector) {
        String url = endpoints.address(Service.CONNECT) + "/connectors/" + connector.name() + "/config";
        try {
            HttpResponse<String> answer = http.send(HttpCredentials.authorize(HttpRequest.newBuilder(URI.create(url)), endpoints.userInfo(Service.CONNECT)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(connector.config()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 401 || answer.statusCode() == 403) {
                throw new workshop.stack.StackException(HttpCredentials.refused(Service.CONNECT, endpoints.address(Service.CONNECT),
                        answer.statusCode(), endpoints.userInfo(Service.CONNECT)));
            }
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("Kafka Connect refused " + connector.name() + ": HTTP " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka Connect does not answer at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
