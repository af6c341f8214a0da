package workshop.graders.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grades schemas2. The grader plays schemas1: it registers version 1 of the ratings' schema
 * under the subject "<topic>-value" and writes version-1 ratings into the topic, in the
 * registry's wire format. Then the program runs with a file of newer ratings that carry a
 * device. The registry must hold version 2, with version 1's fields and a device that has a
 * default; the new ratings must be written with version 2's id and decode to the file's
 * ratings; the program must print the registry's answers: version 2 compatible, version 3
 * not, and refused (409); and the subject must keep exactly two versions.
 */
@Grader
class EvolveRatingsGrader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEVICES = List.of("iPhone 16", "Pixel 9", "Galaxy S25", "Firefox 141", "Safari 19", "iPad Air");
    private static final Pattern COMPATIBLE = Pattern.compile("^compatible\\t(v\\d)\\t(\\S+)\\s*$");
    private static final Pattern REGISTER = Pattern.compile("^register\\t(v\\d)\\t(\\d+)\\t?(.*)$");

    private static final String BREAK_IT = "Make version 3 a change that version 2's readers could not cope with: a new field "
            + "without a default, or a field whose type changes (stars as a string).";

    private String subject;
    private Registry registry;
    private Schema v1;
    private int v1Id;
    private List<Rating> oldRatings;
    private List<Rating> newRatings;
    private List<String> devices;
    private ProgramRun run;
    private List<ConsumerRecord<byte[], byte[]>> records;
    private List<Integer> versions;
    private Optional<Registry.Version> v2;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int before = 4 + random.nextInt(6);
        List<Rating> ratings = Ratings.generate(random.nextLong(), before + 10 + random.nextInt(10));
        oldRatings = ratings.subList(0, before);
        newRatings = ratings.subList(before, ratings.size());
        devices = newRatings.stream().map(r -> DEVICES.get(random.nextInt(DEVICES.size()))).toList();

        String topic = bench.name("ratings-avro");
        subject = topic + "-value";
        registry = new Registry(bench.endpoints());
        bench.broker().createTopic(topic, 1);
        // What schemas1 left behind: version 1 of the subject, and ratings written with it.
        v1 = RatingSchema.ratingSchemaV1();
        v1Id = registry.register(subject, v1);
        List<byte[]> values = new ArrayList<>();
        for (Rating rating : oldRatings) {
            values.add(WireFormat.encode(v1Id, toV1(rating)));
        }
        bench.broker().produce(values.stream().map(v -> new ProducerRecord<byte[], byte[]>(topic, v)).toList(),
                new ByteArraySerializer(), new ByteArraySerializer());

        StringBuilder file = new StringBuilder();
        for (int i = 0; i < newRatings.size(); i++) {
            try {
                ObjectNode line = (ObjectNode) JSON.readTree(newRatings.get(i).toJson());
                file.append(line.put("device", devices.get(i))).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path ratingsFile = bench.writeScratchFile("ratings-v2.jsonl", file.toString());
        run = bench.program().run(SchemaExercises.environment(bench, Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", ratingsFile.toString())));
        records = bench.broker().records(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        versions = registry.versions(subject);
        v2 = registry.version(subject, "2");
    }

    private GenericRecord toV1(Rating rating) {
        GenericRecord record = new GenericData.Record(v1);
        record.put("rating_id", rating.ratingId());
        record.put("user_id", rating.userId());
        record.put("stars", rating.stars());
        record.put("route_id", rating.routeId());
        record.put("rating_time", rating.ratingTime());
        record.put("channel", rating.channel());
        record.put("message", rating.message());
        return record;
    }

    /** What the program printed for "compatible<TAB>version<TAB>answer", by version. */
    private Map<String, String> printedCompatibility() {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String line : run.stdout()) {
            Matcher m = COMPATIBLE.matcher(line);
            if (m.matches()) {
                answers.put(m.group(1), m.group(2));
            }
        }
        return answers;
    }

    /** What the program printed for "register<TAB>version<TAB>status<TAB>answer", by version. */
    private Map<String, String[]> printedRegistrations() {
        Map<String, String[]> answers = new LinkedHashMap<>();
        for (String line : run.stdout()) {
            Matcher m = REGISTER.matcher(line);
            if (m.matches()) {
                answers.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        return answers;
    }

    private String output() {
        return run.stdout().isEmpty() ? "no output" : String.join(" | ", run.stdout());
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        String hint = "It makes a few calls to the registry and sends " + newRatings.size() + " ratings: it ends in seconds.";
        if (run.stdout().stream().anyMatch(l -> l.equals("compatible\tv2\tfalse"))) {
            hint = "The registry says version 2 cannot read the version-1 ratings in the topic, so the program stops. "
                    + "A reader on version 2 must fill in device for the old ratings that lack it: give device a default.";
        }
        SchemaExercises.expectSuccess(registry, run, hint);
    }

    @Test
    @Order(2)
    @DisplayName("the registry answers that version 2 is compatible and version 3 is not")
    void compatibilityAnswers() {
        Map<String, String> answers = printedCompatibility();
        Expect.isTrue(answers.containsKey("v2"), "The program printed no compatibility answer for version 2",
                "a line compatible<TAB>v2<TAB>true", output(),
                "isCompatible() (TODO 2) must return the registry's answer; main prints it. Check the program's error in the first check.");
        Expect.equal("The registry's answer for version 2 is not \"compatible\"", "compatible\tv2\ttrue", "compatible\tv2\t" + answers.get("v2"),
                "Version 2 must read the version-1 ratings already in the topic, which have no device: give the new field a "
                        + "default (\"default\": \"unknown\"), used whenever a record lacks it.");
        Expect.isTrue(answers.containsKey("v3"), "The program printed no compatibility answer for version 3",
                "a line compatible<TAB>v3<TAB>false", output(),
                "The program stopped before it tried version 3: see the first check.");
        if (!"false".equals(answers.get("v3"))) {
            String[] registered = printedRegistrations().get("v3");
            String hint;
            if (registered != null && registered[0].equals("409")) {
                hint = "The registry refused version 3 when the program registered it, but isCompatible() said true: ask the "
                        + "registry (TODO 2): POST {\"schema\": ...} to /compatibility/subjects/<subject>/versions/latest and "
                        + "return its is_compatible.";
            } else if (versions.contains(3)) {
                hint = "The registry registered your version 3 (the subject has versions " + versions + "): it is compatible. "
                        + BREAK_IT;
            } else {
                hint = "Version 3 is a schema the subject has already: registering it only returns its id. " + BREAK_IT;
            }
            throw Expect.fail("The answer printed for version 3 is not the registry's \"incompatible\"", "compatible\tv3\tfalse",
                    "compatible\tv3\t" + answers.get("v3"), hint);
        }
    }

    @Test
    @Order(3)
    @DisplayName("version 2 of the subject adds the field device, with a default")
    void version2() {
        if (v2.isEmpty()) {
            String[] printed = printedRegistrations().get("v2");
            throw Expect.fail("The subject " + subject + " has no version 2", "versions [1, 2]", "versions " + versions,
                    "false".equals(printedCompatibility().get("v2"))
                            ? "The registry found version 2 incompatible with version 1: a new field needs a default, so that "
                            + "version 2 can read the ratings written before it existed."
                            : printed != null
                            ? "The program registered version 2 and the registry answered " + printed[0] + " " + printed[1]
                            + ": the subject must be the topic's name + \"-value\", and version 2 must differ from version 1."
                            : "Register version 2 under " + subject + " (the topic's name + \"-value\").");
        }
        Schema schema = v2.get().schema();
        for (Schema.Field old : v1.getFields()) {
            Schema.Field kept = schema.getField(old.name());
            Expect.isTrue(kept != null && kept.schema().getType() == old.schema().getType(),
                    "Version 2 does not keep version 1's field " + old.name(), old.name() + ": " + old.schema(),
                    kept == null ? "no such field" : old.name() + ": " + kept.schema(),
                    "Version 2 is version 1 plus one field: keep every field of version 1, with its type.");
        }
        Schema.Field device = schema.getField("device");
        Expect.isTrue(device != null, "Version 2 has no field device", "a field device", schema.toString(),
                "Add {\"name\": \"device\", \"type\": \"string\", \"default\": \"unknown\"} to the fields of version 2.");
        Expect.isTrue(device.hasDefaultValue(), "The field device of version 2 has no default", "a default, e.g. \"default\": \"unknown\"",
                device.toString(), "Without a default, version 2 cannot read the older ratings: give device a default.");
    }

    @Test
    @Order(4)
    @DisplayName("the new ratings are written with version 2's schema id and decode to the file's ratings, device included")
    void newRatings() {
        Expect.isTrue(v2.isPresent(), "There is no version 2 to write with", "version 2 of " + subject, "versions " + versions,
                "See the check above.");
        List<ConsumerRecord<byte[], byte[]>> added = records.subList(Math.min(oldRatings.size(), records.size()), records.size());
        Expect.equal("The program did not send one record per rating of the file", newRatings.size() + " new records",
                added.size() + " new records", added.isEmpty() ? SchemaExercises.whyNothingWasSent(run) : "Send each rating of the file once.");
        int id = v2.get().id();
        for (int i = 0; i < added.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = added.get(i);
            OptionalInt written = WireFormat.schemaId(record.value());
            Expect.isTrue(written.isPresent() && written.getAsInt() == id,
                    "The rating at offset " + record.offset() + " is not written with version 2's schema",
                    "schema id " + id + " (version 2)", written.isPresent()
                            ? "schema id " + written.getAsInt() + (written.getAsInt() == v1Id ? " (version 1)" : "")
                            : WireFormat.describeBytes(record.value()),
                    "Build each record with the schema of version 2, and let the Avro serializer write it.");
            GenericRecord decoded;
            try {
                decoded = WireFormat.decode(record.value(), v2.get().schema(), null);
            } catch (IOException | RuntimeException e) {
                throw Expect.fail("The rating at offset " + record.offset() + " does not decode with version 2", "an Avro record of version 2",
                        e.getMessage(), "Let the Avro serializer write the record.");
            }
            Map<String, Object> expected = RatingSchema.fieldsOf(newRatings.get(i));
            expected.put("device", devices.get(i));
            Expect.equal("The rating at offset " + record.offset() + " is not the file's rating", expected,
                    RatingSchema.fieldsOf(decoded, expected.keySet()), "Copy every field of the line into the record, device included.");
        }
    }

    @Test
    @Order(5)
    @DisplayName("the registry refuses version 3 (409), and the subject keeps two versions")
    void version3Refused() {
        String[] printed = printedRegistrations().get("v3");
        Expect.isTrue(printed != null, "The program printed no answer of the registry for version 3",
                "a line register<TAB>v3<TAB>409<TAB>...", output(),
                "The program stopped before it tried to register version 3: see the first check.");
        Expect.isTrue(printed[0].equals("409") && versions.equals(List.of(1, 2)), "The registry did not refuse version 3",
                "register v3: 409 (refused); the subject keeps versions [1, 2]",
                "register v3: " + printed[0] + " " + printed[1] + "; the subject has versions " + versions,
                versions.size() > 2
                        ? "Your version 3 is compatible, so the registry took it. " + BREAK_IT
                        : printed[0].equals("200")
                        ? "Version 3 is a schema the subject has already: registering it only returns its id. " + BREAK_IT
                        : "Version 3 must differ from version 2, and be incompatible with it.");
    }
}
