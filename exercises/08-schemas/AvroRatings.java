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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Module 8, exercise schemas1: ratings in Avro, through a schema registry.
 *
 * Turns every rating of the ratings file (one JSON document per line) into an Avro record of
 * the schema SCHEMA and sends it, keyed by user, to the topic "ratings-avro" with a
 * registry-aware Avro serializer. On first use the serializer registers the schema under the
 * subject "ratings-avro-value" (the topic's name + "-value"); in front of every value it writes
 * a magic byte 0 and the schema's id. Then the program reads the topic back with the matching
 * deserializer, which fetches the schema by that id, and prints each record as
 * "offset<TAB>record".
 *
 * AVRO_SERIALIZER chooses the serializer, by configuration only:
 *   apicurio   (the default) Apicurio's, from Maven Central, set up to write Confluent's wire
 *              format; it talks to Apicurio's own API, so it needs the embedded stack's registry.
 *   confluent  Confluent's KafkaAvroSerializer, for any registry that speaks Confluent's API;
 *              its jars come from Confluent's Maven repository (see the guide).
 *
 *   Run it:    ./jbang schemas1
 *   Check it:  ./jbang workshop check schemas1
 */
public class AvroRatings {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings-avro");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));
    /** The registry's Confluent API (on the docker-compose stack: http://localhost:8081). */
    static final String SCHEMA_REGISTRY_URL = System.getenv().getOrDefault("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7");
    /** Apicurio's own API of the same registry (the embedded stack only). */
    static final String APICURIO_REGISTRY_URL = System.getenv().getOrDefault("APICURIO_REGISTRY_URL", "http://localhost:8081/apis/registry/v2");
    static final String AVRO_SERIALIZER = System.getenv().getOrDefault("AVRO_SERIALIZER", "apicurio");
    /** Room mode: the registry's login (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=user:password), as the serializer takes it. */
    static final Properties REGISTRY_LOGIN = registryLogin(System.getenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"));

    /** A rating, as Avro sees it: every field with its type. */
    static final Schema SCHEMA = new Schema.Parser().parse("""
            {
              "type": "record",
              "name": "Rating",
              "namespace": "workshop.ratings",
              "doc": "A passenger's rating of a flight",
              "fields": [
                {"name": "rating_id",   "type": "long"}
              ]
            }""");
    // TODO 1: add the other fields of a rating, with their Avro types: user_id, stars and route_id
    //         (int), rating_time (a long, with the logical type timestamp-millis: it is a point in
    //         time, in milliseconds), channel and message (string).

    static final ObjectMapper JSON = new ObjectMapper();

    static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.putAll(REGISTRY_LOGIN);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        if (AVRO_SERIALIZER.equals("confluent")) {
            // Registers the record's schema under "<topic>-value" on first use, then writes
            // 0, the schema's id in 4 bytes, and the record in Avro's binary encoding.
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.confluent.kafka.serializers.KafkaAvroSerializer");
            config.put("schema.registry.url", SCHEMA_REGISTRY_URL);
            config.put("auto.register.schemas", true);
            config.put("use.latest.version", false); // write with the record's own schema
        } else {
            // TODO 3: the same three settings for Apicurio's serializer, which talks to Apicurio's own API:
            //         the value serializer io.apicurio.registry.serde.avro.AvroKafkaSerializer,
            //         "apicurio.registry.url" (APICURIO_REGISTRY_URL), "apicurio.registry.auto-register" (true).
            // Confluent's wire format: the schema id in front of the value, not in a header;
            config.put("apicurio.registry.headers.enabled", false);
            // 4 bytes long, and the id that Confluent's API knows the schema by.
            config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
            config.put("apicurio.registry.use-id", "contentId");
        }
        return config;
    }

    static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.putAll(REGISTRY_LOGIN);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        if (AVRO_SERIALIZER.equals("confluent")) {
            // Reads the id after the magic byte and fetches that schema from the registry (once).
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.confluent.kafka.serializers.KafkaAvroDeserializer");
            config.put("schema.registry.url", SCHEMA_REGISTRY_URL);
            config.put("specific.avro.reader", false); // GenericRecords: no generated classes needed
        } else {
            // TODO 4: the matching deserializer, io.apicurio.registry.serde.avro.AvroKafkaDeserializer,
            //         and where the registry is ("apicurio.registry.url").
            // The id is where the serializer wrote it, in the same form.
            config.put("apicurio.registry.headers.enabled", false);
            config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
            config.put("apicurio.registry.use-id", "contentId");
        }
        return config;
    }

    /** One line of the ratings file as a record of SCHEMA. */
    static GenericRecord toAvro(String line) throws IOException {
        JsonNode json = JSON.readTree(line);
        GenericRecord rating = new GenericData.Record(SCHEMA);
        rating.put("rating_id", json.get("rating_id").asLong());
        // TODO 2: put every other field of the line into the record, as the Java type of its Avro
        //         type: int -> asInt(), long -> asLong(), string -> asText().
        return rating;
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(RATINGS_FILE);
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(producerConfig())) {
            for (String line : lines) {
                GenericRecord rating = toAvro(line);
                producer.send(new ProducerRecord<>(TOPIC, String.valueOf(rating.get("user_id")), rating));
            }
        }
        System.out.printf("Sent %d ratings to %s in Avro%n", lines.size(), TOPIC);

        // Read everything back: the deserializer finds each value's schema by its id.
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    System.out.printf("%d\t%s%n", record.offset(), record.value());
                }
            }
        }
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
}
