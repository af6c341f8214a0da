package workshop.graders.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import workshop.data.Rating;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the module 8 graders ask a schema registry, through Confluent's REST API (which both
 * Confluent's registry and the embedded Apicurio registry serve), and how they read the bytes
 * a registry-aware serializer writes: a magic byte 0, the schema id in 4 bytes (big-endian),
 * then the record in Avro's binary encoding. Nothing here depends on which serializer wrote
 * the bytes.
 */
final class Registry {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The rating's fields, in the file's order, with the Avro type each must have. */
    static final Map<String, Schema.Type> RATING_FIELDS = ratingFields();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** An answer of the registry: the HTTP status and the JSON body (a MissingNode if none). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "HTTP " + status + (body.isMissingNode() ? "" : " " + body);
        }
    }

    /** A version of a subject: its number, the schema's id and the schema. */
    record Version(String subject, int version, int id, Schema schema) {
    }

    /** @param url the registry's Confluent API, e.g. http://localhost:8081/apis/ccompat/v7 */
    Registry(String url) {
        if (url == null) {
            throw new IllegalStateException("The stack has no schema registry: the module's services must include schema-registry");
        }
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String url() {
        return url;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).header("Accept", CONTENT_TYPE).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body() == null || response.body().isBlank() ? MissingNode.getInstance() : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.getNodeFactory().textNode(response.body());
            }
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("The schema registry at " + url + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    /** Registers a schema under a subject (as a tool or a CI job would) and returns its id. */
    int register(String subject, Schema schema) {
        Answer answer = post("/subjects/" + encode(subject) + "/versions", JSON.createObjectNode().put("schema", schema.toString()).toString());
        if (!answer.ok() || !answer.body().path("id").canConvertToInt()) {
            throw new IllegalStateException("The schema registry refused to register a schema under " + subject + ": " + answer);
        }
        return answer.body().get("id").asInt();
    }

    /** The schema with this id, or empty when the registry knows no such id (or it is no Avro schema). */
    Optional<Schema> schema(int id) {
        Answer answer = get("/schemas/ids/" + id);
        if (!answer.ok() || !answer.body().path("schema").isTextual()) {
            return Optional.empty();
        }
        return parse(answer.body().get("schema").asText());
    }

    /** The subjects (and versions) under which the registry keeps the schema with this id. */
    List<String> subjectsOf(int id) {
        Answer answer = get("/schemas/ids/" + id + "/versions");
        List<String> subjects = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(v -> subjects.add(v.path("subject").asText() + " (version " + v.path("version").asText() + ")"));
        }
        return subjects;
    }

    /** Every subject the registry lists. */
    List<String> subjects() {
        Answer answer = get("/subjects");
        List<String> subjects = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(s -> subjects.add(s.asText()));
        }
        return subjects;
    }

    /** The version numbers of a subject; empty when the subject does not exist. */
    List<Integer> versions(String subject) {
        Answer answer = get("/subjects/" + encode(subject) + "/versions");
        List<Integer> versions = new ArrayList<>();
        if (answer.ok() && answer.body().isArray()) {
            answer.body().forEach(v -> versions.add(v.asInt()));
        }
        return versions;
    }

    /** A version ("latest" or a number) of a subject, or empty when there is none. */
    Optional<Version> version(String subject, String version) {
        Answer answer = get("/subjects/" + encode(subject) + "/versions/" + version);
        if (!answer.ok() || !answer.body().path("id").canConvertToInt()) {
            return Optional.empty();
        }
        JsonNode body = answer.body();
        return parse(body.path("schema").asText()).map(schema ->
                new Version(subject, body.path("version").asInt(), body.get("id").asInt(), schema));
    }

    static Optional<Schema> parse(String schema) {
        try {
            return Optional.of(new Schema.Parser().parse(schema));
        } catch (SchemaParseException e) {
            return Optional.empty();
        }
    }

    // ---- The wire format ----

    /** The schema id of a value in the registry's wire format, or empty when the value is not in it. */
    static OptionalInt schemaId(byte[] value) {
        if (value == null || value.length < 5 || value[0] != 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(ByteBuffer.wrap(value, 1, 4).getInt());
    }

    /**
     * Decodes the Avro part of a value (after the 5-byte header) with the schema it was written
     * with, and, if given, resolves it to a reader's schema.
     *
     * @throws IOException when the bytes are not a record of that schema, or are left over
     */
    static GenericRecord decode(byte[] value, Schema writer, Schema reader) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(writer, reader == null ? writer : reader).read(null, decoder);
        if (!decoder.isEnd()) {
            throw new IOException("bytes are left over after the record");
        }
        return record;
    }

    /** A record in the registry's wire format, as a registry-aware serializer writes it. */
    static byte[] encode(int id, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first bytes of a value, in hex and as text, for a report. */
    static String describeBytes(byte[] value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length, 12);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            hex.append(String.format("%02x ", value[i]));
        }
        String text = new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}\\uFFFD]", ".");
        return value.length + " bytes: " + hex.toString().trim() + (value.length > shown ? " ..." : "") + " (as text: \"" + text
                + (value.length > 40 ? "..." : "") + "\")";
    }

    /** Writes values (no keys) to a topic, as they are, and waits for every acknowledgement. */
    static void produceRaw(String bootstrapServers, String topic, List<byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2))) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (byte[] value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, value)));
            }
            producer.flush();
            for (var future : sent) {
                future.get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not write to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Every record of a topic, as bytes, partition by partition in offset order. */
    static List<ConsumerRecord<byte[], byte[]>> rawRecords(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    // ---- Gradings ----

    /**
     * The environment to run an exercise with: the grader's variables, and, on a stack whose
     * registry is not Apicurio's (the docker-compose stack: Confluent's), Confluent's serializer
     * unless the learner chose one with AVRO_SERIALIZER.
     */
    static Map<String, String> environment(workshop.grading.Workbench bench, Map<String, String> variables) {
        Map<String, String> environment = new LinkedHashMap<>(variables);
        if (!bench.endpoints().environment().containsKey("APICURIO_REGISTRY_URL") && System.getenv("AVRO_SERIALIZER") == null) {
            environment.put("AVRO_SERIALIZER", "confluent");
        }
        return environment;
    }

    /** A hint for a topic that stayed empty, from what the program printed on its way out. */
    static String whyNothingWasSent(workshop.grading.ProgramRun run) {
        String errors = String.join("\n", run.stderr()) + "\n" + String.join("\n", run.stdout());
        if (errors.contains("io.confluent")) {
            return "Confluent's serializer is not on the classpath: its jars come from Confluent's Maven repository (see the "
                    + "guide), or run with Apicurio's (AVRO_SERIALIZER=apicurio, the embedded stack).";
        }
        if (errors.contains("value.serializer")) {
            return "The producer has no value serializer: set a registry-aware Avro serializer (TODO 3).";
        }
        if (errors.contains("ArtifactNotFound") || errors.contains("40401") || errors.contains("40403")) {
            return "The serializer looked the schema up in the registry and found nothing: let it register the schema on "
                    + "first use (apicurio.registry.auto-register=true; Confluent's: auto.register.schemas=true). With it off, "
                    + "someone must have registered the schema before.";
        }
        if (!run.succeeded()) {
            return "The program failed before anything reached the topic: read its error in the first check.";
        }
        return "Send every rating, and close the producer before main moves on: close() waits for what is still buffered.";
    }

    /** The names of a record's headers, for a report. */
    static List<String> headerNames(ConsumerRecord<?, ?> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

    // ---- Ratings ----

    private static Map<String, Schema.Type> ratingFields() {
        Map<String, Schema.Type> fields = new LinkedHashMap<>();
        fields.put("rating_id", Schema.Type.LONG);
        fields.put("user_id", Schema.Type.INT);
        fields.put("stars", Schema.Type.INT);
        fields.put("route_id", Schema.Type.INT);
        fields.put("rating_time", Schema.Type.LONG);
        fields.put("channel", Schema.Type.STRING);
        fields.put("message", Schema.Type.STRING);
        return fields;
    }

    /** Version 1 of the ratings' schema, as module 8 asks for it (schemas1's solution). */
    static Schema ratingSchemaV1() {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Rating", "namespace": "workshop.ratings",
                 "fields": [
                   {"name": "rating_id", "type": "long"},
                   {"name": "user_id", "type": "int"},
                   {"name": "stars", "type": "int"},
                   {"name": "route_id", "type": "int"},
                   {"name": "rating_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                   {"name": "channel", "type": "string"},
                   {"name": "message", "type": "string"}
                 ]}""");
    }

    /**
     * What is wrong with a schema that should carry a rating: a missing field, a wrong type, a
     * rating_time without its logical type; empty when nothing is.
     */
    static Optional<String> ratingSchemaProblem(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            return Optional.of("it is a " + schema.getType().getName() + ", not a record");
        }
        List<String> missing = new ArrayList<>();
        for (var field : RATING_FIELDS.entrySet()) {
            Schema.Field actual = schema.getField(field.getKey());
            if (actual == null) {
                missing.add(field.getKey());
            } else if (actual.schema().getType() != field.getValue()) {
                return Optional.of("its field " + field.getKey() + " is " + actual.schema() + ", not " + field.getValue().getName());
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("it has no field " + String.join(", ", missing));
        }
        var logicalType = schema.getField("rating_time").schema().getLogicalType();
        if (logicalType == null || !logicalType.getName().equals("timestamp-millis")) {
            return Optional.of("its field rating_time is a plain long, without the logical type timestamp-millis");
        }
        return Optional.empty();
    }

    /** The rating's fields and values, as a decoded record should hold them. */
    static Map<String, Object> fieldsOf(Rating rating) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rating_id", rating.ratingId());
        fields.put("user_id", (long) rating.userId());
        fields.put("stars", (long) rating.stars());
        fields.put("route_id", (long) rating.routeId());
        fields.put("rating_time", rating.ratingTime());
        fields.put("channel", rating.channel());
        fields.put("message", rating.message());
        return fields;
    }

    /** A decoded record's values for the given fields, numbers as longs and text as strings. */
    static Map<String, Object> fieldsOf(GenericRecord record, Iterable<String> names) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : names) {
            Object value = record.hasField(name) ? record.get(name) : "(no such field)";
            fields.put(name, plain(value));
        }
        return fields;
    }

    static Object plain(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Utf8 || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        return value;
    }
}
