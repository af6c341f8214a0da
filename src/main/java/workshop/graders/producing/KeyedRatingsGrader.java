package workshop.graders.producing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades producing1: a fresh file of ratings goes to a topic with a random number of
 * partitions (3 to 8), and every record must say who (key = user_id), when (timestamp =
 * rating_time) and where from (header channel); the ratings of each user must sit in the
 * partition Kafka's default partitioner chooses for that key, in file order.
 */
@Grader
class KeyedRatingsGrader {

    private List<Rating> ratings;
    private Map<Long, Rating> byId;
    private int partitions;
    private ProgramRun run;
    private List<ConsumerRecord<String, String>> records;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ratings = Ratings.generate(random.nextLong(), 60 + random.nextInt(40));
        byId = ratings.stream().collect(Collectors.toMap(Rating::ratingId, r -> r));
        partitions = 3 + random.nextInt(6);
        Path file = bench.writeRatingsFile(ratings);
        String topic = bench.name("ratings");
        bench.broker().createTopic(topic, partitions, (short) 1, workshop.grading.Broker.KEEP_PAST_RECORDS); // records stamped with rating_time
        run = bench.program().run(Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString()));
        records = bench.broker().records(topic);
    }

    /** The rating a record holds, or null when its value is not one of the file's ratings. */
    private Rating ratingOf(ConsumerRecord<String, String> record) {
        try {
            Rating rating = record.value() == null ? null : Rating.fromJson(record.value());
            return rating != null && rating.equals(byId.get(rating.ratingId())) ? rating : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String where(ConsumerRecord<String, String> record) {
        return "partition " + record.partition() + ", offset " + record.offset();
    }

    private void expectRecords(String hint) {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records to check", ratings.size() + " records", "no records", hint);
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Sending " + ratings.size() + " ratings takes well under a second.");
    }

    @Test
    @Order(2)
    @DisplayName("every rating reaches the topic, once")
    void everyRatingOnce() {
        Expect.equal("The topic does not hold one record per rating", ratings.size() + " records", records.size() + " records",
                records.size() < ratings.size()
                        ? "send() only puts a record in the producer's buffer, and the producer waits up to linger.ms to "
                        + "fill a batch. Close the producer (or flush it) before main returns, or those records are lost."
                        : "Send each rating exactly once.");
        for (ConsumerRecord<String, String> record : records) {
            Expect.isTrue(ratingOf(record) != null, "The record at " + where(record) + " is not a line of the file",
                    "a rating of the file, unchanged, e.g. " + ratings.get(0).toJson(), String.valueOf(record.value()),
                    "Keep the JSON line as the record's value: the key, the timestamp and the header come in addition.");
        }
        Map<Long, Long> counts = records.stream().collect(Collectors.groupingBy(r -> ratingOf(r).ratingId(), TreeMap::new, Collectors.counting()));
        List<Long> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(5).toList();
        Expect.isTrue(twice.isEmpty(), "Some ratings are in the topic more than once", "each rating once", "ratings " + twice + " more than once",
                "Send each rating exactly once.");
    }

    @Test
    @Order(3)
    @DisplayName("each record's key is its rating's user_id")
    void keyIsUserId() {
        expectRecords("Send every rating (TODO 1).");
        for (ConsumerRecord<String, String> record : records) {
            Rating rating = ratingOf(record);
            if (rating == null) {
                continue; // reported by the check above
            }
            String expected = String.valueOf(rating.userId());
            if (!expected.equals(record.key())) {
                String hint = record.key() == null
                        ? "Without a key, the producer spreads records over the partitions and a user's ratings end up "
                        + "anywhere. Create the record with a key: new ProducerRecord<>(topic, partition, timestamp, key, value)."
                        : record.key().length() > 12
                        ? "A new random key (a UUID, say) for each record is like no key at all: every record is its own "
                        + "key, so nothing keeps a user's ratings together. The key is what the records have in common."
                        : "The key is the user_id of the rating, as text: e.g. \"" + expected + "\".";
                throw Expect.fail("The record of rating " + rating.ratingId() + " (" + where(record) + ") has another key",
                        "key \"" + expected + "\" (its user_id)", record.key() == null ? "no key (null)" : "key \"" + record.key() + "\"", hint);
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("each user's ratings are in the partition the default partitioner chooses for the key")
    void defaultPartition() {
        expectRecords("Send every rating (TODO 1).");
        for (ConsumerRecord<String, String> record : records) {
            Rating rating = ratingOf(record);
            if (rating == null) {
                continue;
            }
            String key = String.valueOf(rating.userId());
            int expected = Broker.partitionForKey(key, partitions);
            if (record.partition() != expected) {
                throw Expect.fail("Rating " + rating.ratingId() + " of user " + key + " is not in its key's partition (the topic has "
                                + partitions + " partitions)",
                        "partition " + expected + " (murmur2 of the key \"" + key + "\", modulo " + partitions + ")",
                        "partition " + record.partition() + (record.key() == null ? " (the record has no key)" : ""),
                        record.key() == null
                                ? "Give the record its key: the default partitioner hashes the key to choose the partition."
                                : "Leave the partition to the default partitioner (partition null, no partitioner.class): the Java "
                                + "producer, Kafka Streams and ksqlDB all hash keys this way, so that a key always meets the same "
                                + "partition, whichever program wrote it.");
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("each user's ratings sit in one partition, in file order")
    void perKeyOrder() {
        expectRecords("Send every rating (TODO 1).");
        Map<Integer, List<ConsumerRecord<String, String>>> byUser = new TreeMap<>();
        for (ConsumerRecord<String, String> record : records) { // in offset order within each partition
            Rating rating = ratingOf(record);
            if (rating != null) {
                byUser.computeIfAbsent(rating.userId(), u -> new ArrayList<>()).add(record);
            }
        }
        Expect.isTrue(!byUser.isEmpty(), "No record holds a rating of the file", "the file's ratings", "none", "Send each line as the value.");
        for (Map.Entry<Integer, List<ConsumerRecord<String, String>>> user : byUser.entrySet()) {
            TreeSet<Integer> used = user.getValue().stream().map(ConsumerRecord::partition).collect(Collectors.toCollection(TreeSet::new));
            if (used.size() > 1) {
                throw Expect.fail("The ratings of user " + user.getKey() + " are spread over partitions " + used
                                + ": a consumer reads partitions independently, so it can see them in any order",
                        "all in one partition", "partitions " + used,
                        "Key the records by user_id and let the default partitioner choose: one key, one partition. A "
                        + "partitioner that spreads records (round robin, say) or a partition you choose yourself breaks that.");
            }
            List<Long> ids = user.getValue().stream().map(r -> ratingOf(r).ratingId()).toList();
            List<Long> sorted = ids.stream().sorted().toList();
            if (!ids.equals(sorted)) {
                throw Expect.fail("The ratings of user " + user.getKey() + " are not in file order in partition " + used.first(),
                        "rating_ids " + sorted, "rating_ids " + ids + " (in offset order)",
                        "Send the ratings one after another, in the order of the file: within a partition, records keep the order in which they were sent.");
            }
        }
    }

    @Test
    @Order(6)
    @DisplayName("each record carries its rating's channel in the header \"channel\"")
    void channelHeader() {
        expectRecords("Send every rating (TODO 1).");
        for (ConsumerRecord<String, String> record : records) {
            Rating rating = ratingOf(record);
            if (rating == null) {
                continue;
            }
            Header header = record.headers().lastHeader("channel");
            Map<String, String> all = new LinkedHashMap<>();
            record.headers().forEach(h -> all.put(h.key(), h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8)));
            Expect.isTrue(header != null, "The record of rating " + rating.ratingId() + " (" + where(record) + ") has no header \"channel\"",
                    "header channel=" + rating.channel(), all.isEmpty() ? "no headers" : "headers " + all,
                    "record.headers().add(\"channel\", channel.getBytes(StandardCharsets.UTF_8)) before sending the record.");
            String value = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            Expect.equal("The header \"channel\" of rating " + rating.ratingId() + " is not the rating's channel",
                    rating.channel(), value, "A header value is bytes: the UTF-8 bytes of the rating's channel, e.g. \"" + rating.channel() + "\".");
        }
    }

    @Test
    @Order(7)
    @DisplayName("each record's timestamp is its rating's rating_time")
    void eventTime() {
        expectRecords("Send every rating (TODO 1).");
        for (ConsumerRecord<String, String> record : records) {
            Rating rating = ratingOf(record);
            if (rating == null) {
                continue;
            }
            if (record.timestamp() != rating.ratingTime() || record.timestampType() != TimestampType.CREATE_TIME) {
                boolean nowish = Math.abs(System.currentTimeMillis() - record.timestamp()) < 10 * 60_000;
                throw Expect.fail("The record of rating " + rating.ratingId() + " (" + where(record) + ") is not stamped with the time of the rating",
                        rating.ratingTime() + " (rating_time, " + java.time.Instant.ofEpochMilli(rating.ratingTime()) + ")",
                        record.timestamp() + " (" + java.time.Instant.ofEpochMilli(record.timestamp()) + ", " + record.timestampType() + ")",
                        nowish
                                ? "That is the time of sending: without a timestamp, the producer stamps each record with its own "
                                + "clock. The event happened at rating_time; pass it to the ProducerRecord constructor."
                                : "Pass rating_time (epoch milliseconds) as the record's timestamp.");
            }
        }
    }
}
