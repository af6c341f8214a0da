package workshop.graders.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.PrintedRecords;
import workshop.grading.PrintedRecords.Printed;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades schemas1. Whichever serializer wrote them, every value in the topic must be in the
 * registry's wire format (magic byte 0, a 4-byte schema id, Avro binary); each id must resolve,
 * through the registry's Confluent API, to a record schema with the rating's fields; that
 * schema must be the latest version of the subject "<topic>-value"; decoding every value with
 * its schema must give back the file's ratings, in order; and the program must print the
 * ratings it read back through the matching deserializer.
 */
@Grader
class AvroRatingsGrader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private List<Rating> ratings;
    private String topic;
    private String subject;
    private Registry registry;
    private ProgramRun run;
    private List<ConsumerRecord<byte[], byte[]>> records;
    private final Map<Integer, Optional<Schema>> schemas = new HashMap<>();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ratings = Ratings.generate(random.nextLong(), 15 + random.nextInt(20));
        Path file = bench.writeRatingsFile(ratings);
        topic = bench.name("ratings-avro");
        subject = topic + "-value";
        registry = new Registry(bench.endpoints());
        bench.broker().createTopic(topic, 1);
        run = bench.program().run(SchemaExercises.environment(bench, Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString())));
        records = bench.broker().records(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Optional<Schema> schema(int id) {
        return schemas.computeIfAbsent(id, registry::schema);
    }

    private void expectRecords() {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records to check", ratings.size() + " Avro records", "no records",
                SchemaExercises.whyNothingWasSent(run));
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        SchemaExercises.expectSuccess(registry, run, "It sends " + ratings.size() + " ratings, then reads the topic up to its end offsets and stops.");
    }

    @Test
    @Order(2)
    @DisplayName("every value starts with the magic byte 0 and a 4-byte schema id")
    void wireFormat() {
        expectRecords();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byte[] value = record.value();
            if (WireFormat.schemaId(value).isPresent()) {
                continue;
            }
            String hint;
            if (value != null && value.length > 0 && (value[0] == '{' || value[0] == '"')) {
                hint = "That is JSON text: the value serializer wrote a string. A registry-aware Avro serializer (Apicurio's "
                        + "AvroKafkaSerializer, or Confluent's KafkaAvroSerializer) takes the GenericRecord itself and writes the "
                        + "magic byte, the schema id and the Avro bytes.";
            } else if (record.headers().toArray().length > 0) {
                hint = "The value starts with the Avro bytes and the record has headers "
                        + SchemaExercises.headerNames(record) + ": Apicurio's serializer puts the schema id in headers by default. "
                        + "Set apicurio.registry.headers.enabled=false, so that the id goes in front of the value, as Confluent's does.";
            } else {
                hint = "Set a registry-aware Avro serializer as the value serializer: it writes the magic byte 0 and the "
                        + "schema id before the Avro bytes.";
            }
            throw Expect.fail("The value at offset " + record.offset() + " is not in the schema registry's wire format",
                    "byte 0 = 0 (the magic byte), bytes 1-4 = the schema id, then the Avro record", WireFormat.describeBytes(value), hint);
        }
    }

    @Test
    @Order(3)
    @DisplayName("each schema id resolves in the registry to a schema with the rating's fields")
    void schemaResolves() {
        expectRecords();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OptionalInt id = WireFormat.schemaId(record.value());
            Expect.isTrue(id.isPresent(), "The value at offset " + record.offset() + " carries no schema id",
                    "a magic byte 0 and a schema id", WireFormat.describeBytes(record.value()),
                    "Use a registry-aware Avro serializer as the value serializer.");
            Optional<Schema> schema = schema(id.getAsInt());
            Expect.isTrue(schema.isPresent(), "The registry knows no schema with the id " + id.getAsInt()
                            + " (the value at offset " + record.offset() + ")",
                    "GET " + registry.url() + "/schemas/ids/" + id.getAsInt() + " answers with the schema",
                    registry.get("/schemas/ids/" + id.getAsInt()).toString(),
                    id.getAsInt() == 0
                            ? "Id 0: Apicurio's serializer wrote its own 8-byte id. Set apicurio.registry.id-handler to "
                            + "io.apicurio.registry.serde.Legacy4ByteIdHandler and apicurio.registry.use-id to contentId."
                            : "The id must be the one the registry's Confluent API knows: with Apicurio's serializer, "
                            + "apicurio.registry.use-id=contentId.");
            Optional<String> problem = RatingSchema.ratingSchemaProblem(schema.get());
            if (problem.isPresent()) {
                throw Expect.fail("The schema with the id " + id.getAsInt() + " does not describe a rating: " + problem.get(),
                        "a record with rating_id (long), user_id, stars, route_id (int), rating_time (long, logicalType "
                                + "timestamp-millis), channel and message (string)",
                        schema.get().toString(),
                        problem.get().contains("timestamp-millis")
                                ? "Write the type of rating_time as {\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}: "
                                + "still a long on the wire, but every reader knows it is a point in time, in milliseconds."
                                : "Complete SCHEMA (TODO 1) with every field of the ratings file, and put each one in the record (TODO 2).");
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("the schema is registered under the subject named after the topic, <topic>-value")
    void subjectFollowsTopic() {
        Optional<Registry.Version> latest = registry.version(subject, "latest");
        if (latest.isEmpty()) {
            // Subjects not named after any topic: what a record-name strategy makes.
            List<String> elsewhere = new ArrayList<>();
            records.stream().map(r -> WireFormat.schemaId(r.value())).filter(OptionalInt::isPresent).map(OptionalInt::getAsInt)
                    .distinct().forEach(id -> elsewhere.addAll(registry.subjectsOf(id)));
            elsewhere.removeIf(s -> s.contains("-value (") || s.contains("-key ("));
            String hint;
            if (!elsewhere.isEmpty()) {
                hint = "The registry keeps the schema under " + elsewhere + ": a record-name strategy. Keep the default strategy, "
                        + "which names the subject after the topic (Confluent's TopicNameStrategy, Apicurio's TopicIdStrategy): "
                        + "remove value.subject.name.strategy or apicurio.registry.artifact-resolver-strategy.";
            } else if (records.isEmpty()) {
                hint = "Nothing was registered, and nothing sent. " + SchemaExercises.whyNothingWasSent(run);
            } else {
                hint = "Let the serializer register the schema itself (auto-register) under the default subject, <topic>-value.";
            }
            throw Expect.fail("The subject " + subject + " does not exist in the registry",
                    "GET " + registry.url() + "/subjects/" + subject + "/versions/latest answers with the schema",
                    registry.get("/subjects/" + Registry.encode(subject) + "/versions/latest").toString(), hint);
        }
        expectRecords();
        TreeSet<Integer> ids = records.stream().map(r -> WireFormat.schemaId(r.value())).filter(OptionalInt::isPresent)
                .map(OptionalInt::getAsInt).collect(Collectors.toCollection(TreeSet::new));
        Expect.isTrue(ids.equals(new TreeSet<>(List.of(latest.get().id()))),
                "The values were not written with the schema registered under " + subject,
                "schema id " + latest.get().id() + " (version " + latest.get().version() + " of " + subject + ")",
                "schema ids " + ids,
                "Produce with the serializer and the schema that registered the subject: each value carries the id of the "
                        + "schema it was written with.");
    }

    @Test
    @Order(5)
    @DisplayName("every value decodes with its schema to a rating of the file, in file order")
    void valuesDecode() {
        expectRecords();
        Expect.equal("The topic does not hold one record per rating", ratings.size() + " records", records.size() + " records",
                records.size() < ratings.size()
                        ? "Records still in the producer's buffer when main moves on are lost: close() the producer (try-with-resources) first."
                        : "Send each rating of the file once.");
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            OptionalInt id = WireFormat.schemaId(record.value());
            Optional<Schema> schema = id.isPresent() ? schema(id.getAsInt()) : Optional.empty();
            Expect.isTrue(schema.isPresent(), "The value at offset " + record.offset() + " cannot be decoded: its schema is unknown",
                    "a schema id the registry resolves", WireFormat.describeBytes(record.value()),
                    "Use a registry-aware Avro serializer that registers the schema (see the checks above).");
            GenericRecord decoded;
            try {
                decoded = WireFormat.decode(record.value(), schema.get(), null);
            } catch (IOException | RuntimeException e) {
                throw Expect.fail("The value at offset " + record.offset() + " is not an Avro record of its schema (id " + id.getAsInt() + ")",
                        "Avro binary of " + schema.get().getFullName(), e.getMessage() + "; " + WireFormat.describeBytes(record.value()),
                        "Let the Avro serializer write the value from a GenericRecord of SCHEMA.");
            }
            Map<String, Object> expected = RatingSchema.fieldsOf(ratings.get(i));
            Map<String, Object> actual = RatingSchema.fieldsOf(decoded, expected.keySet());
            Expect.equal("The value at offset " + record.offset() + " does not decode to the " + ordinal(i + 1) + " rating of the file",
                    expected, actual, "Put each field of the JSON line into the record, with its own value (TODO 2), and send the "
                            + "ratings in file order.");
        }
    }

    @Test
    @Order(6)
    @DisplayName("the program prints the ratings it read back through the registry")
    void printsWhatItRead() {
        List<Printed> printed = PrintedRecords.parse(run.stdout());
        Expect.isTrue(!printed.isEmpty(), "The program printed no record", "one line offset<TAB>record per rating",
                run.stdout().isEmpty() ? "no output" : "e.g. " + run.stdout().get(0),
                "Read the topic back with the Avro deserializer and print each record: "
                        + "System.out.printf(\"%d\\t%s%n\", record.offset(), record.value()).");
        Expect.equal("The program did not print every rating it sent", ratings.size() + " records", printed.size() + " records",
                "Read the topic from the beginning to its end offsets, and print each record once.");
        for (int i = 0; i < printed.size(); i++) {
            Printed line = printed.get(i);
            Map<String, Object> expected = RatingSchema.fieldsOf(ratings.get(i));
            Map<String, Object> actual = parsePrinted(line.value(), expected);
            Expect.equal("The record printed for offset " + line.offset() + " is not the " + ordinal(i + 1) + " rating",
                    expected, actual, actual.isEmpty()
                            ? "Print the deserialized GenericRecord itself: its toString() is JSON, e.g. {\"rating_id\": 1, ...}."
                            : "Print what the deserializer returns for each record: the value of record.value().");
        }
    }

    /** A printed GenericRecord (its toString() is JSON) as field values; empty when it is not one. */
    private static Map<String, Object> parsePrinted(String text, Map<String, Object> like) {
        Map<String, Object> fields = new LinkedHashMap<>();
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            return fields;
        }
        if (json == null || !json.isObject()) {
            return fields;
        }
        for (String name : like.keySet()) {
            JsonNode value = json.get(name);
            if (value == null) {
                fields.put(name, "(missing)");
            } else if (value.isIntegralNumber()) {
                fields.put(name, value.asLong());
            } else if (name.equals("rating_time") && value.isTextual()) {
                // A deserializer with logical-type conversions prints an Instant.
                try {
                    fields.put(name, Instant.parse(value.asText()).toEpochMilli());
                } catch (RuntimeException e) {
                    fields.put(name, value.asText());
                }
            } else {
                fields.put(name, value.asText());
            }
        }
        return fields;
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }
}
