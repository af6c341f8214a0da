package workshop.graders.partitions;

import org.apache.kafka.clients.producer.ProducerRecord;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Grades partitions2: with ratings spread over 3 to 6 partitions, in order within each
 * partition, the program prints every rating once, in rating_id order.
 *
 * The grader chooses each rating's partition at random, and keeps only spreads where neither
 * the consumption order (partition after partition) nor an order by offset is the rating_id
 * order, so that a program that does not really sort by rating_id always fails.
 */
@Grader
class RatingsInOrderGrader {

    private List<Rating> ratings;
    private int[] partitionOf;
    private ProgramRun run;
    private List<Printed> printed;

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = 30 + random.nextInt(21);
        int partitions = 3 + random.nextInt(4);
        ratings = Ratings.generate(random.nextLong(), count);
        do {
            partitionOf = random.ints(count, 0, partitions).toArray();
        } while (!revealsDisorder(partitionOf, partitions));

        String topic = bench.name("ratings");
        bench.broker().createTopic(topic, partitions);
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, partitionOf[i], null, ratings.get(i).toJson()));
        }
        bench.broker().produce(records);
        run = bench.program().run(Map.of("RATINGS_TOPIC", topic));
        printed = PrintedRecords.parse(run.stdout());
    }

    /**
     * Every partition gets ratings; two partitions interleave (so no order of whole partitions
     * is the rating_id order); and some rating sits at a higher offset than a later rating (so
     * sorting by offset is not the rating_id order either).
     */
    private static boolean revealsDisorder(int[] partitionOf, int partitions) {
        int[] next = new int[partitions];
        int[] offset = new int[partitionOf.length];
        int[] first = new int[partitions];
        int[] last = new int[partitions];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < partitionOf.length; i++) {
            int p = partitionOf[i];
            offset[i] = next[p]++;
            if (first[p] < 0) {
                first[p] = i;
            }
            last[p] = i;
        }
        if (java.util.Arrays.stream(next).anyMatch(n -> n < 2)) {
            return false;
        }
        boolean interleaved = false;
        for (int p = 0; p < partitions; p++) {
            for (int q = 0; q < partitions; q++) {
                interleaved |= p != q && first[p] < last[q] && first[q] < last[p];
            }
        }
        boolean offsetsDisagree = false;
        int maxOffsetSoFar = -1;
        for (int i = 0; i < partitionOf.length; i++) {
            offsetsDisagree |= offset[i] < maxOffsetSoFar;
            maxOffsetSoFar = Math.max(maxOffsetSoFar, offset[i]);
        }
        return interleaved && offsetsDisagree;
    }

    @Test
    @Order(1)
    @DisplayName("the program stops by itself at the end of every partition")
    void runs() {
        run.expectSuccess("Read until every partition's position reaches its end offset, then stop.");
    }

    @Test
    @Order(2)
    @DisplayName("every rating is printed, once")
    void everyRatingOnce() {
        List<Long> ids = printed.stream().map(Printed::offset).sorted().toList();
        List<Long> expected = ratings.stream().map(Rating::ratingId).toList();
        String hint;
        if (printed.isEmpty()) {
            hint = "Nothing was printed as rating_id<TAB>json. Read from the beginning of each partition, and print every rating.";
        } else if (ids.size() < expected.size() && allIn(ids, 0)) {
            hint = "Only the ratings of partition 0 were printed: assign every partition of the topic "
                    + "(consumer.partitionsFor(TOPIC) lists them).";
        } else if (ids.size() < expected.size()) {
            hint = "Some partitions were not read: assign every partition of the topic (consumer.partitionsFor(TOPIC)).";
        } else {
            hint = "Print each rating once.";
        }
        Expect.equal("Not every rating was printed, once", describe(expected), describe(ids), hint);
    }

    private boolean allIn(List<Long> ids, int partition) {
        return ids.stream().allMatch(id -> partitionOf[(int) (id - 1)] == partition);
    }

    @Test
    @Order(3)
    @DisplayName("ratings are printed in rating_id order")
    void inOrder() {
        Expect.isTrue(printed.size() >= 2, "Too few ratings were printed to judge their order", ratings.size() + " ratings",
                printed.size() + " printed", "Print every rating: rating_id<TAB>json.");
        List<Long> ids = printed.stream().map(Printed::offset).toList();
        List<Long> sorted = ids.stream().sorted().toList();
        if (ids.equals(sorted)) {
            return;
        }
        int at = 1;
        while (ids.get(at) >= ids.get(at - 1)) {
            at++;
        }
        String hint;
        if (isPartitionByPartition(ids)) {
            hint = "This is the order the consumer delivered them: partition by partition. Kafka orders records within a "
                    + "partition only; across partitions there is no order. Collect every rating, then sort by rating_id.";
        } else {
            hint = "Offsets are numbered per partition: offset 2 of one partition may be older or newer than offset 5 of "
                    + "another. Sort by the rating_id itself (ratingId(...)).";
        }
        throw Expect.fail("The ratings are not printed in rating_id order", "rating_id ascending: " + preview(sorted),
                "rating " + ids.get(at) + " printed after rating " + ids.get(at - 1) + ": " + preview(ids), hint);
    }

    /** The ids come in runs, one per partition, each run in order. */
    private boolean isPartitionByPartition(List<Long> ids) {
        List<Integer> runs = new ArrayList<>();
        for (long id : ids) {
            int p = partitionOf[(int) (id - 1)];
            if (runs.isEmpty() || runs.get(runs.size() - 1) != p) {
                runs.add(p);
            }
        }
        return runs.size() == new TreeSet<>(runs).size();
    }

    @Test
    @Order(4)
    @DisplayName("each line holds the rating's JSON, unchanged")
    void unchanged() {
        Expect.isTrue(!printed.isEmpty(), "Nothing was printed to compare with the ratings", "rating_id<TAB>json lines", "none",
                "Print each rating as its rating_id, a tab, and the record's value.");
        for (Printed line : printed) {
            long id = line.offset();
            String expected = id >= 1 && id <= ratings.size() ? ratings.get((int) (id - 1)).toJson() : "(no rating with that id)";
            Expect.equal("The line for rating " + id + " does not hold that rating's JSON", expected, line.value(),
                    "Print the rating's id, a tab, then the record's value as it is.");
        }
    }

    private static String describe(List<Long> ids) {
        if (ids.isEmpty()) {
            return "no ratings";
        }
        boolean consecutive = true;
        for (int i = 1; i < ids.size(); i++) {
            consecutive &= ids.get(i) == ids.get(i - 1) + 1;
        }
        return consecutive
                ? "ratings " + ids.get(0) + ".." + ids.get(ids.size() - 1) + " (" + ids.size() + ")"
                : "ratings " + preview(ids) + " (" + ids.size() + ")";
    }

    private static String preview(List<Long> ids) {
        String shown = ids.stream().limit(12).map(String::valueOf).collect(Collectors.joining(", "));
        return ids.size() > 12 ? shown + ", ..." : shown;
    }
}
