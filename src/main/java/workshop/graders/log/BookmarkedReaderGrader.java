package workshop.graders.log;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.PrintedRecords;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.util.List;
import java.util.Map;

/**
 * Grades log3: readers keep positions of their own. Reader A runs twice (5 records each time),
 * reader B once (8 records), then A runs to the end. Each run must start where that reader's
 * previous run stopped, and the committed offsets must say so. The log holds more records than
 * one poll() returns (max.poll.records is 500), so a reader that polls once never reaches the end.
 */
@Grader
class BookmarkedReaderGrader {

    private int records;

    private String topic;
    private String readerA;
    private String readerB;
    private ProgramRun firstA;
    private ProgramRun secondA;
    private ProgramRun firstB;
    private ProgramRun lastA;
    private Map<TopicPartition, Long> committedA;
    private Map<TopicPartition, Long> committedB;

    @BeforeAll
    void runExercise(Workbench bench) {
        topic = bench.name("ratings");
        readerA = bench.name("dashboard");
        readerB = bench.name("audit");
        bench.broker().createTopic(topic, 1);
        records = 1_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400);
        bench.broker().produce(Ratings.generate(System.nanoTime(), records).stream()
                .map(r -> new ProducerRecord<String, String>(topic, r.toJson())).toList());
        firstA = read(bench, readerA, 5);
        secondA = read(bench, readerA, 5);
        firstB = read(bench, readerB, 8);
        lastA = read(bench, readerA, records + 100);
        committedA = bench.broker().committedOffsets(readerA);
        committedB = bench.broker().committedOffsets(readerB);
    }

    private ProgramRun read(Workbench bench, String group, int max) {
        return bench.program().run(Map.of("RATINGS_TOPIC", topic, "READER_GROUP", group, "MAX_RECORDS", String.valueOf(max)));
    }

    @Test
    @Order(1)
    @DisplayName("every run ends by itself")
    void runs() {
        for (ProgramRun run : List.of(firstA, secondA, firstB, lastA)) {
            run.expectSuccess("Stop after MAX_RECORDS records, or at the end of the log, whichever comes first.");
        }
    }

    @Test
    @Order(2)
    @DisplayName("a new reader starts at the beginning of the log")
    void newReaderStartsAtBeginning() {
        expectRead(firstA, 0, 5, "The first run of a reader (no bookmark yet) starts at offset 0: auto.offset.reset=earliest.");
    }

    @Test
    @Order(3)
    @DisplayName("the same reader continues right after the last record it printed")
    void continues() {
        List<Long> offsets = offsets(secondA);
        String hint;
        if (offsets.equals(PrintedRecords.range(0, 5))) {
            hint = "It started over: nothing was committed. Commit the reader's position before it ends (commitSync).";
        } else if (offsets.equals(PrintedRecords.range(4, 9))) {
            hint = "Off by one: the committed offset is the NEXT record to read, so commit lastOffset + 1.";
        } else if (offsets.isEmpty()) {
            hint = "It read nothing: the committed position was past what was printed. poll() fetches ahead, so "
                    + "commitSync() without arguments commits everything fetched; commit lastOffset + 1 explicitly.";
        } else {
            hint = "Commit, for partition 0, the offset after the last record printed: new OffsetAndMetadata(lastOffset + 1).";
        }
        Expect.equal("The second run of reader " + readerA + " did not continue where the first stopped",
                PrintedRecords.describe(PrintedRecords.range(5, 10)), PrintedRecords.describe(offsets), hint);
    }

    @Test
    @Order(4)
    @DisplayName("a reader with another group id keeps a position of its own")
    void ownPosition() {
        expectRead(firstB, 0, 8, "Another GROUP_ID is another reader: its first run starts at the beginning, "
                + "whatever other readers did. Use READER_GROUP as the consumer's group.id.");
    }

    @Test
    @Order(5)
    @DisplayName("a reader stops at the end of the log")
    void stopsAtEnd() {
        expectRead(lastA, 10, records, "With more MAX_RECORDS than records left, read to the end offset and stop. One poll() "
                + "returns at most max.poll.records (500): poll in a loop until the position reaches the end offset.");
    }

    @Test
    @Order(6)
    @DisplayName("each group's committed offset is the next record it will read")
    void committedOffsets() {
        TopicPartition partition = new TopicPartition(topic, 0);
        Expect.equal("Reader " + readerA + " committed another offset", String.valueOf(records), String.valueOf(committedA.get(partition)),
                "After reading offsets 10.." + (records - 1) + ", the next record to read is " + records + ".");
        Expect.equal("Reader " + readerB + " committed another offset", "8", String.valueOf(committedB.get(partition)),
                "After reading offsets 0..7, the next record to read is 8.");
    }

    private void expectRead(ProgramRun run, long first, long end, String hint) {
        Expect.equal("The run did not print the expected records", PrintedRecords.describe(PrintedRecords.range(first, end)),
                PrintedRecords.describe(offsets(run)), hint);
    }

    private static List<Long> offsets(ProgramRun run) {
        return PrintedRecords.offsets(PrintedRecords.parse(run.stdout()));
    }
}
