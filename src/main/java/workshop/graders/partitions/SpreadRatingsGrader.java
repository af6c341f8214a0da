package workshop.graders.partitions;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades partitions1: the ratings of a fresh file reach a topic of 3 to 6 partitions without
 * keys, spread evenly (partition counts differ by at most one), each partition holding its
 * ratings in file order.
 *
 * The file holds 60 to 90 ratings, about 180 bytes each: fewer than fill one 16 KB batch. The
 * producer's default (sticky) partitioner keeps sending keyless records to one partition until
 * it has sent a batch's worth, so it puts at least 60 ratings in one partition, while an even
 * spread puts at most 30 in each: relying on it is rejected every time, never by luck.
 */
@Grader
class SpreadRatingsGrader {

    private List<String> lines;
    private int partitions;
    private ProgramRun run;
    private List<ConsumerRecord<String, String>> records;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = 60 + random.nextInt(31);
        partitions = 3 + random.nextInt(4);
        List<Rating> ratings = Ratings.generate(random.nextLong(), count);
        lines = ratings.stream().map(Rating::toJson).toList();
        Path file = bench.writeRatingsFile(ratings);
        String topic = bench.name("ratings");
        bench.broker().createTopic(topic, partitions);
        run = bench.program().run(Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString()));
        records = bench.broker().records(topic);
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Sending a few dozen ratings takes well under a second; close() the producer at the end.");
    }

    @Test
    @Order(2)
    @DisplayName("every rating reaches the topic, once")
    void everyRatingOnce() {
        Map<String, Long> seen = records.stream().collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
        List<String> missing = lines.stream().filter(line -> !seen.containsKey(line)).toList();
        List<String> extra = seen.entrySet().stream().filter(e -> e.getValue() > 1 || !lines.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
        String hint = records.isEmpty()
                ? "Nothing arrived: send each line as a record's value, and close() the producer before main returns."
                : !extra.isEmpty() ? "Send each line of the file once, unchanged, as the value of a record."
                : "Every line of the file must be sent: " + missing.size() + " were not.";
        Expect.isTrue(missing.isEmpty() && extra.isEmpty(), "The topic does not hold each rating once",
                lines.size() + " records, one per line of the file",
                records.size() + " records" + (missing.isEmpty() ? "" : ", " + missing.size() + " lines missing")
                        + (extra.isEmpty() ? "" : ", " + extra.size() + " values repeated or not in the file"), hint);
    }

    @Test
    @Order(3)
    @DisplayName("records carry no key")
    void noKeys() {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records", lines.size() + " records without a key", "no records",
                "Send the ratings first (see the previous check).");
        List<String> keys = records.stream().filter(r -> r.key() != null).map(ConsumerRecord::key).distinct().limit(3).toList();
        Expect.isTrue(keys.isEmpty(), "Some records have a key", "records without a key", "keys such as " + keys,
                "A key makes the producer hash it to choose the partition, and hashes do not spread a few records evenly "
                        + "(keys come in module 4). Keep the key null and choose the partition: new ProducerRecord<>(TOPIC, partition, null, rating).");
    }

    @Test
    @Order(4)
    @DisplayName("every partition gets its share: counts differ by at most one")
    void even() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            counts.put(p, 0L);
        }
        records.forEach(r -> counts.merge(r.partition(), 1L, Long::sum));
        long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        int share = records.size() / partitions;
        String expected = "each of the " + partitions + " partitions holds " + share
                + (records.size() % partitions == 0 ? "" : " or " + (share + 1)) + " of the " + records.size() + " ratings";
        List<Integer> used = counts.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        String hint;
        if (records.isEmpty()) {
            hint = "Nothing arrived: see the checks above.";
        } else if (used.size() == 1) {
            hint = "Every record went to partition " + used.get(0) + ". Without a key and a partition, the producer's default "
                    + "(sticky) partitioner fills a batch for one partition before it moves on: a few dozen records all land "
                    + "together. Choose the partition yourself, in turn: rating i goes to partition i % partitions, where "
                    + "producer.partitionsFor(TOPIC).size() is the number of partitions.";
        } else if (used.size() < partitions) {
            hint = "Only partitions " + used + " got records. Ask the broker how many partitions the topic has "
                    + "(producer.partitionsFor(TOPIC)): the grader's topic has " + partitions + ".";
        } else {
            hint = "Uneven shares. Without a key, the default partitioner sticks to one partition for a batch's worth; a "
                    + "key's hash spreads unevenly. Choose the partition in turn: i % partitions.";
        }
        Expect.isTrue(!records.isEmpty() && max - min <= 1, "The ratings are not spread evenly over the partitions", expected,
                counts.entrySet().stream().map(e -> "partition " + e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining(", ")), hint);
    }

    @Test
    @Order(5)
    @DisplayName("within each partition, ratings keep file order")
    void orderWithinPartition() {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            position.putIfAbsent(lines.get(i), i);
        }
        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = records.stream()
                .filter(r -> position.containsKey(r.value()))
                .collect(Collectors.groupingBy(ConsumerRecord::partition, TreeMap::new, Collectors.toList()));
        Expect.isTrue(!byPartition.isEmpty(), "The topic holds no ratings to compare with the file", "the file's ratings",
                "none", "Send the ratings first (see the checks above).");
        for (Map.Entry<Integer, List<ConsumerRecord<String, String>>> partition : byPartition.entrySet()) {
            List<ConsumerRecord<String, String>> held = partition.getValue(); // in offset order
            for (int k = 1; k < held.size(); k++) {
                int before = position.get(held.get(k - 1).value());
                int after = position.get(held.get(k).value());
                if (after < before) {
                    throw Expect.fail("Partition " + partition.getKey() + " holds ratings out of file order",
                            "line " + (after + 1) + " before line " + (before + 1) + ", as in the file",
                            "line " + (before + 1) + " at offset " + held.get(k - 1).offset() + ", then line " + (after + 1)
                                    + " at offset " + held.get(k).offset(),
                            "A partition is a log: it keeps records in the order they were sent. Send the lines in file order, "
                                    + "from one thread.");
                }
            }
        }
    }
}
