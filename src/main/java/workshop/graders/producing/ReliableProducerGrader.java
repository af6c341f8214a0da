package workshop.graders.producing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grades producing2: the values on the broker are the ratings' JSON, written by the learner's
 * serializer; producerConfig() asks for acks=all and idempotence, and the broker itself knows
 * the producer as idempotent (it has a producer id on the topic's partitions); every rating
 * the program printed as acknowledged is in the topic, and the counts agree.
 *
 * <p>Some sends fail on purpose: a few ratings carry a message larger than the topic's
 * max.message.bytes, so the broker refuses them. A program that swallows errors, or counts a
 * record as written before the broker answered, prints the wrong figures.
 */
@Grader
class ReliableProducerGrader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACKED = Pattern.compile("^acked\\t(\\d+)(\\t.*)?$");
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) acknowledged, (\\d+) failed$");
    private static final Pattern FAILED = Pattern.compile("^failed\\t(\\d+)(\\t.*)?$");
    /** The topic's largest record; a few ratings are made larger, so the broker refuses them. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    /** The ratings the broker refuses (too large), by id. */
    private Set<Long> refused;
    /** How many ratings the broker takes. */
    private int storable;

    private List<Rating> ratings;
    private ProgramRun run;
    private List<ConsumerRecord<String, String>> records;
    private Map<String, String> producerConfig;
    private Map<TopicPartition, List<Long>> idempotentProducers;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ratings = new ArrayList<>(Ratings.generate(random.nextLong(), 30 + random.nextInt(30)));
        refused = new TreeSet<>();
        for (int i = 0; i < 2 + random.nextInt(2); i++) {
            int at = 5 + random.nextInt(ratings.size() - 10);
            Rating r = ratings.get(at);
            if (refused.add(r.ratingId())) {
                ratings.set(at, new Rating(r.ratingId(), r.userId(), r.stars(), r.routeId(), r.ratingTime(), r.channel(),
                        (r.message() + " ").repeat(MAX_MESSAGE_BYTES / Math.max(1, r.message().length() + 1) + 50)));
            }
        }
        storable = ratings.size() - refused.size();
        Path file = bench.writeRatingsFile(ratings);
        String topic = bench.name("ratings");
        Map<String, String> config = new java.util.HashMap<>(workshop.grading.Broker.KEEP_PAST_RECORDS); // records stamped with rating_time
        config.put("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        bench.broker().createTopic(topic, 3, (short) 1, config);
        producerConfig = bench.program().configFrom("producerConfig");
        run = bench.program().run(Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString()));
        records = bench.broker().records(topic);
        idempotentProducers = bench.broker().idempotentProducers(topic);
    }

    private List<Long> printedAcked() {
        List<Long> acked = new ArrayList<>();
        for (String line : run.stdout()) {
            Matcher m = ACKED.matcher(line);
            if (m.matches()) {
                acked.add(Long.parseLong(m.group(1)));
            }
        }
        return acked;
    }

    /** The rating_id of a record's value, or null when the value is not a rating's JSON. */
    private static Long ratingId(ConsumerRecord<String, String> record) {
        try {
            JsonNode value = record.value() == null ? null : JSON.readTree(record.value());
            return value != null && value.path("rating_id").canConvertToLong() ? value.get("rating_id").asLong() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Sending " + ratings.size() + " ratings takes well under a second: make sure main ends after the last send.");
    }

    @Test
    @Order(2)
    @DisplayName("producerConfig() asks for acks=all and idempotence")
    void config() {
        String acks = producerConfig.get("acks");
        Expect.isTrue(acks != null, "producerConfig() does not say which acknowledgement it waits for", "acks=all", "acks not set",
                "The default has changed over Kafka versions (it is all since 3.0): set ProducerConfig.ACKS_CONFIG to \"all\", "
                + "so that the code says what it relies on.");
        Expect.isTrue(acks.equals("all") || acks.equals("-1"), "The producer counts a record as written before every in-sync replica has it",
                "acks=all", "acks=" + acks,
                "acks=1 means the leader alone has the record when the callback hears \"done\": if the leader dies then, "
                + "the record is lost. acks=0 does not even wait for the leader.");
        String idempotence = producerConfig.get("enable.idempotence");
        Expect.equal("producerConfig() does not ask for an idempotent producer", "enable.idempotence=true",
                "enable.idempotence=" + (idempotence == null ? "(not set)" : idempotence),
                "Set ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG to true: the producer numbers its batches and the broker drops "
                + "a batch it already has, so a retry never writes a record twice.");
    }

    @Test
    @Order(3)
    @DisplayName("the broker knows the producer as idempotent")
    void idempotentOnTheBroker() {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records, so the broker knows no producer", "records from an idempotent producer",
                "no records", "Send the ratings, and flush or close the producer before main ends.");
        List<Long> producerIds = idempotentProducers.values().stream().flatMap(List::stream).distinct().toList();
        Expect.isTrue(!producerIds.isEmpty(), "The broker knows no idempotent producer on the topic",
                "a producer id on the partitions written to", "none: the records came from a plain producer",
                "An idempotent producer gets a producer id from the broker and numbers its batches; a plain one does neither. "
                + "Check enable.idempotence=true, and that nothing turns it off (acks=1, say, or retries=0).");
    }

    @Test
    @Order(4)
    @DisplayName("each value is the rating's JSON, written by your serializer")
    void valuesAreJson() throws JsonProcessingException {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records to check", ratings.size() + " records", "no records",
                "Send the ratings, and flush or close the producer before main ends.");
        Map<Long, Rating> byId = ratings.stream().collect(Collectors.toMap(Rating::ratingId, r -> r));
        for (ConsumerRecord<String, String> record : records) {
            String where = "partition " + record.partition() + ", offset " + record.offset();
            Expect.isTrue(record.value() != null, "The record at " + where + " has no value", "the rating's JSON", "null",
                    "serialize() returned null: return json.writeValueAsBytes(rating).");
            Long id = ratingId(record);
            Expect.isTrue(id != null && byId.containsKey(id), "The value at " + where + " is not a rating's JSON document",
                    "e.g. " + ratings.get(0).toJson(), record.value(),
                    "The serializer must write JSON with the file's field names: an ObjectMapper's writeValueAsBytes(rating) "
                    + "does it (the record's @JsonProperty names say how). toString() is no format another program can read.");
            JsonNode expected = JSON.readTree(byId.get(id).toJson());
            JsonNode actual = JSON.readTree(record.value());
            Expect.isTrue(expected.equals(actual), "The value of rating " + id + " (" + where + ") differs from the rating",
                    expected.toString(), actual.toString(), "Write every field of the rating, with its name and value as in the file.");
        }
    }

    @Test
    @Order(5)
    @DisplayName("every rating printed as acked is in the topic")
    void ackedAreStored() {
        List<Long> acked = printedAcked();
        Expect.isTrue(!acked.isEmpty(), "The program printed no acknowledged rating", "a line acked<TAB>rating_id per acknowledged rating",
                run.stdout().isEmpty() ? "no output" : "e.g. " + run.stdout().get(0),
                "In the send callback, when the error is null, print \"acked\\t\" + the rating's id. Callbacks run only while the "
                + "producer still lives: flush() or close() it before main ends.");
        Set<Long> stored = records.stream().map(ReliableProducerGrader::ratingId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        TreeSet<Long> missing = acked.stream().filter(id -> !stored.contains(id)).collect(Collectors.toCollection(TreeSet::new));
        Expect.isTrue(missing.isEmpty(), "Ratings printed as acknowledged are not in the topic", "every acked rating in the topic",
                missing.size() + " missing, e.g. ratings " + missing.stream().limit(5).toList(),
                "Print \"acked\" in the callback, once the broker has answered, not right after send(): send() only buffers the "
                + "record. And flush() or close() the producer, or buffered records die with the program.");
    }

    @Test
    @Order(6)
    @DisplayName("every rating is acknowledged and stored once, and the counts agree")
    void countsAgree() {
        List<Long> acked = printedAcked();
        Map<Long, Long> storedCounts = records.stream().map(ReliableProducerGrader::ratingId).filter(java.util.Objects::nonNull)
                .collect(Collectors.groupingBy(id -> id, TreeMap::new, Collectors.counting()));
        Expect.equal("The topic does not hold one record per rating it can take", storable + " records", records.size() + " records",
                records.size() < storable
                        ? "Records still in the producer's buffer when main returns are lost: flush() or close() the producer first."
                        : "Send each rating once; the idempotent producer makes sure its own retries add nothing.");
        List<Long> twice = storedCounts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(5).toList();
        Expect.isTrue(twice.isEmpty(), "Some ratings are in the topic more than once", "each rating once", "ratings " + twice,
                "Send each rating once.");
        Expect.equal("Not every stored rating was printed as acknowledged, once", storable + " acked lines, " + storable + " distinct",
                acked.size() + " acked lines, " + new TreeSet<>(acked).size() + " distinct",
                acked.size() < storable
                        ? "Each callback runs once the broker answered. Wait for all of them (flush() or close()) before main ends."
                        : "Print one acked line per acknowledged rating, in its callback.");
        Map<String, String> summary = new LinkedHashMap<>();
        for (String line : run.stdout()) {
            Matcher m = SUMMARY.matcher(line.trim());
            if (m.matches()) {
                summary.put("acknowledged", m.group(1));
                summary.put("failed", m.group(2));
            }
        }
        Expect.equal("The summary line does not match what the broker answered", storable + " acknowledged, " + refused.size() + " failed",
                summary.isEmpty() ? "no line \"<n> acknowledged, <m> failed\"" : summary.get("acknowledged") + " acknowledged, " + summary.get("failed") + " failed",
                "Count in the callback, successes and failures apart (an AtomicInteger: it runs on the producer's I/O thread), "
                + "and print the counts after flush(): only then has every callback run. "
                + refused.size() + " ratings are larger than the topic allows, so the broker refuses them.");
    }

    @Test
    @Order(7)
    @DisplayName("every rating the broker refused is printed as failed")
    void refusedArePrinted() {
        Set<Long> printedFailed = new TreeSet<>();
        for (String line : run.stdout()) {
            Matcher m = FAILED.matcher(line);
            if (m.matches()) {
                printedFailed.add(Long.parseLong(m.group(1)));
            }
        }
        Expect.equal("The ratings printed as failed are not the ones the broker refused", "failed: " + refused,
                "failed: " + printedFailed,
                "Ratings " + refused + " are larger than the topic's max.message.bytes (" + MAX_MESSAGE_BYTES + "), so the broker "
                + "refuses them: the callback gets an exception (RecordTooLargeException) instead of metadata. When the error is "
                + "not null, print \"failed\\t\" + the rating's id; never treat a callback as a success without looking at the error.");
    }

    @Test
    @Order(8)
    @DisplayName("each record's key is its rating's user_id")
    void keyedByUser() {
        Map<Long, Rating> byId = ratings.stream().collect(Collectors.toMap(Rating::ratingId, r -> r));
        for (ConsumerRecord<String, String> record : records) {
            Long id = ratingId(record);
            if (id == null || !byId.containsKey(id)) {
                continue; // not a rating: the values check says so
            }
            Expect.equal("Rating " + id + " (partition " + record.partition() + ", offset " + record.offset() + ") is not keyed by its user",
                    "key " + byId.get(id).userId(), "key " + record.key(),
                    "The exercise sends each rating keyed by user: new ProducerRecord<>(TOPIC, null, rating.ratingTime(), "
                    + "String.valueOf(rating.userId()), rating). The key decides the partition, so one user's ratings stay in order.");
        }
    }
}
