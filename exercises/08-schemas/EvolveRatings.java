///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.apache.avro:avro:1.12.2
//DEPS io.apicurio:apicurio-registry-serdes-avro-serde:2.6.13.Final
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Module 8, exercise schemas2: a new version of the schema, and a version the registry refuses.
 *
 * The app's next release also sends the device each rating was made on. Version 2 of the
 * rating's schema adds the field "device"; the version-1 ratings already in the topic
 * "ratings-avro" must stay readable by whoever upgrades to version 2. The program:
 *
 *   1. asks the registry whether version 2 is compatible with the latest version of the subject
 *      "ratings-avro-value" (prints "compatible<TAB>v2<TAB>true|false"), and registers it
 *      (prints "register<TAB>v2<TAB>status<TAB>answer");
 *   2. sends the ratings of the ratings file as version-2 records; the serializer registers
 *      nothing itself, it looks the schema up;
 *   3. asks the same of a version 3 that would break version 2's readers, tries to register it
 *      anyway, and prints the registry's answers: it must refuse.
 *
 *   Run it:    ./jbang schemas2      (after schemas1, which wrote version 1)
 *   Check it:  ./jbang workshop check schemas2
 */
public class EvolveRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings-avro");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));
    static final String SCHEMA_REGISTRY_URL = System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7");
    static final String APICURIO_REGISTRY_URL = System.getenv().getOrDefault("APICURIO_REGISTRY_URL", "http://localhost:8081/apis/registry/v2");
    static final String AVRO_SERIALIZER = System.getenv().getOrDefault("AVRO_SERIALIZER", "apicurio");
    /** Room mode: the registry's login (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:password), as the serializer takes it. */
    static final Properties REGISTRY_LOGIN = registryLogin(System.getenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"));

    /** The subject of the topic's values: the topic's name + "-value", as the serializers name it. */
    static final String SUBJECT = TOPIC + "-value";

    /** Version 2: version 1 (schemas1) and the device the rating was made on. */
    static final String SCHEMA_V2 = """
            {
              "type": "record",
              "name": "Rating",
              "namespace": "workshop.ratings",
              "fields": [
                {"name": "rating_id",   "type": "long"},
                {"name": "user_id",     "type": "int"},
                {"name": "stars",       "type": "int"},
                {"name": "route_id",    "type": "int"},
                {"name": "rating_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "channel",     "type": "string"},
                {"name": "message",     "type": "string"}
              ]
            }""";
    // TODO 1: add the field "device" (a string) to version 2, so that a reader on version 2 can
    //         still read the version-1 ratings in the topic, which have no device.

    /** Version 3: a change that version 2's readers could not live with. */
    static final String SCHEMA_V3 = """
            {
              "type": "record",
              "name": "Rating",
              "namespace": "workshop.ratings",
              "fields": [
                {"name": "rating_id",   "type": "long"},
                {"name": "user_id",     "type": "int"},
                {"name": "stars",       "type": "int"},
                {"name": "route_id",    "type": "int"},
                {"name": "rating_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "channel",     "type": "string"},
                {"name": "message",     "type": "string"}
              ]
            }""";
    // TODO 3: make version 3 a change that version 2's readers could not cope with, so that the
    //         registry must refuse it. (It starts as a copy of version 1: that is no new version.)

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** What the registry answered: the HTTP status and the JSON body. */
    record Answer(int status, JsonNode body) {
    }

    /** POSTs a schema to a path of the registry's Confluent API, e.g. "/subjects/ratings-avro-value/versions". */
    static Answer post(String path, String schema) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("schema", schema).toString(); // {"schema": "<the schema, as a string>"}
        HttpRequest request = withLogin(HttpRequest.newBuilder(URI.create(SCHEMA_REGISTRY_URL + path)))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    /** Registers a schema as the next version of SUBJECT; the registry refuses an incompatible one (409). */
    static Answer register(String schema) throws IOException, InterruptedException {
        return post("/subjects/" + SUBJECT + "/versions", schema);
    }

    /** Asks the registry whether a schema could become the next version of SUBJECT, without registering it. */
    static boolean isCompatible(String schema) throws IOException, InterruptedException {
        // TODO 2: ask the registry. POST the schema (use post() above) to
        //         /compatibility/subjects/<SUBJECT>/versions/latest; it answers {"is_compatible": true|false}.
        //         Anything but HTTP 200 means it could not check: throw an exception that says so.
        return true;
    }

    static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.putAll(REGISTRY_LOGIN);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // Schemas are registered on purpose, after a compatibility check, not by whichever
        // producer happens to run first: the serializer only looks the record's schema up.
        if (AVRO_SERIALIZER.equals("confluent")) {
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.confluent.kafka.serializers.KafkaAvroSerializer");
            config.put("schema.registry.url", SCHEMA_REGISTRY_URL);
            config.put("auto.register.schemas", false);
            config.put("use.latest.version", false);
        } else {
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.apicurio.registry.serde.avro.AvroKafkaSerializer");
            config.put("apicurio.registry.url", APICURIO_REGISTRY_URL);
            config.put("apicurio.registry.auto-register", false);
            config.put("apicurio.registry.headers.enabled", false);
            config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
            config.put("apicurio.registry.use-id", "contentId");
        }
        return config;
    }

    public static void main(String[] args) throws Exception {
        // 1. Version 2: compatible with what the topic holds? Then register it, on purpose.
        Schema v2 = new Schema.Parser().parse(SCHEMA_V2);
        boolean v2Compatible = isCompatible(v2.toString());
        System.out.printf("compatible\tv2\t%s%n", v2Compatible);
        if (!v2Compatible) {
            System.err.println("Version 2 could not read the ratings already in " + TOPIC + ": not registering it.");
            System.exit(1);
        }
        Answer registered = register(v2.toString());
        System.out.printf("register\tv2\t%d\t%s%n", registered.status(), registered.body());

        // 2. New ratings, written with version 2.
        List<String> lines = Files.readAllLines(RATINGS_FILE);
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(producerConfig())) {
            for (String line : lines) {
                JsonNode json = JSON.readTree(line);
                GenericRecord rating = new GenericData.Record(v2);
                rating.put("rating_id", json.get("rating_id").asLong());
                rating.put("user_id", json.get("user_id").asInt());
                rating.put("stars", json.get("stars").asInt());
                rating.put("route_id", json.get("route_id").asInt());
                rating.put("rating_time", json.get("rating_time").asLong());
                rating.put("channel", json.get("channel").asText());
                rating.put("message", json.get("message").asText());
                rating.put("device", json.path("device").asText("unknown")); // the new app sends it; older lines lack it
                producer.send(new ProducerRecord<>(TOPIC, String.valueOf(rating.get("user_id")), rating));
            }
        }
        System.out.printf("sent\t%d\tratings with version 2%n", lines.size());

        // 3. Version 3 breaks version 2's readers: the registry must say so, and refuse it.
        String v3 = new Schema.Parser().parse(SCHEMA_V3).toString();
        System.out.printf("compatible\tv3\t%s%n", isCompatible(v3));
        Answer refused = register(v3);
        System.out.printf("register\tv3\t%d\t%s%n", refused.status(), refused.body());
    }

    /** Room mode: the registry's login in the chosen serializer's settings; none when the registry asks for none. */
    static Properties registryLogin(String userInfo) {
        Properties login = new Properties();
        if (userInfo != null && !userInfo.isBlank()) {
            if (AVRO_SERIALIZER.equals("confluent")) {
                login.put("basic.auth.credentials.source", "USER_INFO");
                login.put("basic.auth.user.info", userInfo);
            } else {
                login.put("apicurio.auth.username", userInfo.substring(0, userInfo.indexOf(':')));
                login.put("apicurio.auth.password", userInfo.substring(userInfo.indexOf(':') + 1));
            }
        }
        return login;
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

    /** Room mode: the registry's login (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:password), when the room's registry asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
