///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-streams:4.3.1
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.apache.avro:avro:1.12.2
//DEPS io.apicurio:apicurio-registry-serdes-avro-serde:2.6.13.Final
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.serde.avro.AvroSerde;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Module 13, exercise capstone2: the talk's pipeline, from the database and the ratings to the
 * sinks and the notifier.
 *
 * 1. Connectors, through Kafka Connect's REST API (module 7): Debezium captures public.customers
 *    to TOPIC_PREFIX.public.customers, one record per customer keyed by id; two JDBC sinks copy
 *    the enriched ratings and the per-minute counts into PostgreSQL tables.
 * 2. A Kafka Streams topology: ratings (Avro, through the schema registry, keyed by user) LEFT
 *    JOIN customers = RATINGS_WITH_CUSTOMER_DATA; of those, the poor ratings of platinum customers
 *    = UNHAPPY_PLATINUM_CUSTOMERS (the notifier, capstone1, reads them); and ratings per club
 *    status per minute of the ratings' own time = RATINGS_BY_CLUB_STATUS.
 *
 * It runs until Ctrl-C. The ratings come from a generator: ./jbang workshop pipeline runs all of it.
 *
 *   Run it:    ./jbang capstone2
 *   Check it:  ./jbang workshop check capstone2
 */
public class RatingsPipeline {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = env("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String APPLICATION_ID = env("APPLICATION_ID", PREFIX + "ratings-pipeline");
    static final String STATE_DIR = env("STATE_DIR", System.getProperty("java.io.tmpdir") + "/kafka-streams");  // its tables' local stores
    static final String CONNECT_URL = env("CONNECT_URL", "http://localhost:8083");
    static final String APICURIO_REGISTRY_URL = env("APICURIO_REGISTRY_URL", "http://localhost:8081/apis/registry/v2");
    static final String RATINGS_TOPIC = env("RATINGS_TOPIC", PREFIX + "ratings-live");
    static final String TOPIC_PREFIX = env("TOPIC_PREFIX", PREFIX + "pipeline");
    static final String CUSTOMERS_TOPIC = TOPIC_PREFIX + ".public.customers";
    static final String ENRICHED_TOPIC = env("ENRICHED_TOPIC", PREFIX + "ratings_with_customer_data");
    static final String UNHAPPY_TOPIC = env("UNHAPPY_TOPIC", PREFIX + "unhappy_platinum_customers");
    static final String COUNTS_TOPIC = env("COUNTS_TOPIC", PREFIX + "ratings_by_club_status");
    static final String RATINGS_TABLE = env("RATINGS_TABLE", PREFIX.replace('.', '_') + "ratings_with_customer_data");   // a dot would name a schema
    static final String COUNTS_TABLE = env("COUNTS_TABLE", PREFIX.replace('.', '_') + "ratings_by_club_status");
    static final String CONNECTOR_PREFIX = env("CONNECTOR_PREFIX", PREFIX + "pipeline");
    static final URI POSTGRES = URI.create(env("POSTGRES_URL", "jdbc:postgresql://localhost:15432/workshop").substring("jdbc:".length()));
    static final String DATABASE_HOST = env("DATABASE_HOST", POSTGRES.getHost());
    static final String DATABASE_PORT = env("DATABASE_PORT", String.valueOf(POSTGRES.getPort()));
    static final String DATABASE_URL = "jdbc:postgresql://" + DATABASE_HOST + ":" + DATABASE_PORT + POSTGRES.getPath();
    static final String POSTGRES_USER = env("POSTGRES_USER", "workshop");
    static final String POSTGRES_PASSWORD = env("POSTGRES_PASSWORD", "workshop");
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration GRACE = Duration.ofSeconds(10);

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // ------------------------------------------------------------------ 1. the connectors

    /** Debezium: every row of public.customers, then every change, as the row's new state keyed by id. */
    static Map<String, String> customersSource() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("database.hostname", DATABASE_HOST);
        config.put("database.port", DATABASE_PORT);
        config.put("database.dbname", POSTGRES.getPath().substring(1));
        config.put("database.user", POSTGRES_USER);
        config.put("database.password", POSTGRES_PASSWORD);
        config.put("topic.prefix", TOPIC_PREFIX);
        config.put("table.include.list", "public.customers");
        config.put("plugin.name", "pgoutput");
        String slot = (CONNECTOR_PREFIX + "_customers").toLowerCase().replaceAll("[^a-z0-9_]", "_");
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
        return config;
    }

    /** A JDBC sink: records of {@code topic} (JSON that carries its schema) upserted into {@code table} by {@code primaryKey}. */
    static Map<String, String> tableSink(String topic, String table, String primaryKey) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("topics", topic);
        config.put("connection.url", DATABASE_URL);
        config.put("connection.username", POSTGRES_USER);
        config.put("connection.password", POSTGRES_PASSWORD);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");   // {"schema": ..., "payload": ...}
        config.put("collection.name.format", table);
        config.put("schema.evolution", "basic");                // creates the table from the schema
        config.put("primary.key.mode", "record_value");
        config.put("primary.key.fields", primaryKey);
        config.put("insert.mode", "upsert");                    // a count updated later replaces its row
        return config;
    }

    // ------------------------------------------------------------------ 2. the topology

    /** The columns of RATINGS_WITH_CUSTOMER_DATA, as the JDBC sink needs them: Connect's JSON schema. */
    static final JsonNode ENRICHED_SCHEMA = json("""
            {"type": "struct", "name": "ratings_with_customer_data", "optional": false, "fields": [
              {"field": "rating_id",   "type": "int64",  "optional": false},
              {"field": "user_id",     "type": "int32",  "optional": false},
              {"field": "stars",       "type": "int32",  "optional": false},
              {"field": "route_id",    "type": "int32",  "optional": false},
              {"field": "rating_time", "type": "int64",  "optional": false},
              {"field": "channel",     "type": "string", "optional": false},
              {"field": "message",     "type": "string", "optional": false},
              {"field": "first_name",  "type": "string", "optional": true},
              {"field": "last_name",   "type": "string", "optional": true},
              {"field": "email",       "type": "string", "optional": true},
              {"field": "club_status", "type": "string", "optional": true}]}""");

    static final JsonNode COUNT_SCHEMA = json("""
            {"type": "struct", "name": "ratings_by_club_status", "optional": false, "fields": [
              {"field": "club_status",  "type": "string", "optional": false},
              {"field": "window_start", "type": "int64",  "optional": false},
              {"field": "window_end",   "type": "int64",  "optional": false},
              {"field": "count",        "type": "int64",  "optional": false}]}""");

    /** Windows follow the ratings' own time, rating_time, not the clock of the machine that counts. */
    public static class RatingTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            return record.value() instanceof GenericRecord rating ? (Long) rating.get("rating_time") : record.timestamp();
        }
    }

    static Properties streamsConfig() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.put(StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);
        config.putAll(CLIENT_SETTINGS);
        // TODO windows must follow the ratings' own time (RatingTime), not the clock of this machine
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);  // every update downstream at once: a live dashboard
        return config;
    }

    /** Apicurio's Avro serde, reading and writing Confluent's wire format (module 8). */
    static Serde<GenericRecord> ratingSerde() {
        AvroSerde<GenericRecord> serde = new AvroSerde<>();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("apicurio.registry.url", APICURIO_REGISTRY_URL);
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
        config.put("apicurio.registry.use-id", "contentId");
        // Room mode: the registry's login (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:password), when it asks for one.
        String userInfo = System.getenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        if (userInfo != null && !userInfo.isBlank()) {
            config.put("apicurio.auth.username", userInfo.substring(0, userInfo.indexOf(':')));
            config.put("apicurio.auth.password", userInfo.substring(userInfo.indexOf(':') + 1));
        }
        serde.configure(config, false);
        return serde;
    }

    static void buildTopology(StreamsBuilder builder) {
        // The customers, as a table: the latest row of each id (a tombstone removes it).
        KTable<String, String> customers = builder.table(CUSTOMERS_TOPIC, Consumed.with(Serdes.String(), Serdes.String()));

        KStream<String, ObjectNode> ratings = builder.stream(RATINGS_TOPIC, Consumed.with(Serdes.String(), ratingSerde()))
                .mapValues(RatingsPipeline::toJson);
        // TODO the table is keyed by customer id: key each rating by its user_id, so the join finds its customer

        // TODO RATINGS_WITH_CUSTOMER_DATA: every rating with its customer's data, or nulls when there is no
        //      customer (the talk's LEFT JOIN; RatingsPipeline::withCustomer joins the two; the join
        //      repartitions the re-keyed ratings: Joined.with(Serdes.String(), new JsonSerde(), Serdes.String())
        //      says how to write them). Replace this line:
        KStream<String, ObjectNode> enriched = ratings.mapValues(rating -> withCustomer(rating, null));
        enriched.mapValues(rating -> withSchema(ENRICHED_SCHEMA, rating))
                .to(ENRICHED_TOPIC, Produced.with(Serdes.String(), Serdes.String()));

        // TODO UNHAPPY_PLATINUM_CUSTOMERS: the enriched ratings with fewer than 3 stars from platinum customers,
        //      as JSON text (ObjectNode::toString), to UNHAPPY_TOPIC: the notifier posts each of them

        // TODO RATINGS_BY_CLUB_STATUS: the enriched ratings that have a club_status, counted per club_status
        //      (Grouped.with(Serdes.String(), new JsonSerde())) per WINDOW with GRACE, each count turned into
        //      a row by countRecord, to COUNTS_TOPIC
    }

    /** A count of one club status in one window, as a row for the sink: the key names the window. */
    static KeyValue<String, String> countRecord(Windowed<String> window, Long count) {
        ObjectNode row = JSON.createObjectNode()
                .put("club_status", window.key())
                .put("window_start", window.window().start())
                .put("window_end", window.window().end())
                .put("count", count);
        return KeyValue.pair(window.key() + "@" + window.window().start(), withSchema(COUNT_SCHEMA, row));
    }

    /** The rating with the customer's name, email and club status; nulls when there is no such customer. */
    static ObjectNode withCustomer(ObjectNode rating, String customerJson) {
        ObjectNode enriched = rating.deepCopy();
        JsonNode customer = customerJson == null ? JSON.nullNode() : json(customerJson);
        for (String field : new String[] {"first_name", "last_name", "email", "club_status"}) {
            enriched.set(field, customer.path(field).isMissingNode() ? JSON.nullNode() : customer.path(field));
        }
        return enriched;
    }

    static ObjectNode toJson(GenericRecord rating) {
        ObjectNode json = JSON.createObjectNode();
        json.put("rating_id", (Long) rating.get("rating_id"));
        json.put("user_id", (Integer) rating.get("user_id"));
        json.put("stars", (Integer) rating.get("stars"));
        json.put("route_id", (Integer) rating.get("route_id"));
        json.put("rating_time", (Long) rating.get("rating_time"));
        json.put("channel", rating.get("channel").toString());
        json.put("message", rating.get("message").toString());
        return json;
    }

    /** Connect's JSON with its schema: what JsonConverter with schemas.enable=true reads. */
    static String withSchema(JsonNode schema, ObjectNode payload) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("schema", schema);
        envelope.set("payload", payload);
        return envelope.toString();
    }

    /** JSON trees between the steps of the topology (the repartition before the count). */
    public static class JsonSerde implements Serde<ObjectNode> {
        @Override
        public org.apache.kafka.common.serialization.Serializer<ObjectNode> serializer() {
            return (topic, node) -> node == null ? null : node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public org.apache.kafka.common.serialization.Deserializer<ObjectNode> deserializer() {
            return (topic, bytes) -> bytes == null ? null : (ObjectNode) json(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        put(CONNECTOR_PREFIX + "-customers-source", customersSource());
        put(CONNECTOR_PREFIX + "-ratings-sink", tableSink(ENRICHED_TOPIC, RATINGS_TABLE, "rating_id"));
        put(CONNECTOR_PREFIX + "-counts-sink", tableSink(COUNTS_TOPIC, COUNTS_TABLE, "club_status,window_start"));

        awaitTopic(CUSTOMERS_TOPIC); // the table's topic: Debezium creates it with its snapshot

        StreamsBuilder builder = new StreamsBuilder();
        buildTopology(builder);
        KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("Pipeline " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(10))));
        streams.start();
        stopped.await();
    }

    /** Waits until the topic exists; stops the program after a minute. */
    static void awaitTopic(String topic) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        try (Admin admin = Admin.create(config)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!admin.listTopics().names().get().contains(topic)) {
                if (System.nanoTime() > deadline) {
                    System.err.println("No topic " + topic + " after a minute: is the connector running? GET " + CONNECT_URL + "/connectors?expand=status");
                    System.exit(1);
                }
                Thread.sleep(500);
            }
        }
    }

    /** Creates the connector, or updates it if it exists. */
    static void put(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpRequest request = withLogin(HttpRequest.newBuilder(URI.create(CONNECT_URL + "/connectors/" + name + "/config")))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build();
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            // 409: the workers are rebalancing (another connector was just created): ask again a moment later.
            for (int attempt = 1; answer.statusCode() == 409 && attempt < 20; attempt++) {
                Thread.sleep(500);
                answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            System.err.println("Kafka Connect does not answer at " + CONNECT_URL + ": is the stack running? (" + e.getMessage() + ")");
            System.exit(1);
            return;
        }
        if (answer.statusCode() >= 300) {
            System.err.println("Connect refused " + name + ": " + json(answer.body()).path("message").asText(answer.body()));
            System.exit(1);
        }
        System.out.println("Connector " + name + " configured");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not JSON: " + text, e);
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Room mode: the client settings in a properties file; none when no file is named. */
    static Properties clientSettings(String file) {
        Properties settings = new Properties();
        if (file != null) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
                settings.load(reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read KAFKA_CLIENT_PROPERTIES=" + file, e);
            }
        }
        return settings;
    }

    /** Room mode: Connect's login (CONNECT_BASIC_AUTH_USER_INFO=user:password), when the room's Connect asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("CONNECT_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
