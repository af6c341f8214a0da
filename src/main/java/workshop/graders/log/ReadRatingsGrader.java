package workshop.graders.log;

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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades log2: the program reads the log from the beginning, or from START_OFFSET, to its end,
 * printing each record's offset and value.
 */
@Grader
class ReadRatingsGrader {

    /** Three times the records one poll() returns by default (max.poll.records=500). */
    static final int MORE_THAN_ONE_POLL = 1_500;

    private List<String> values;
    private long startOffset;
    private ProgramRun fromBeginning;
    private ProgramRun fromOffset;

    @BeforeAll
    void runExercise(Workbench bench) {
        // More than one poll returns (max.poll.records is 500): a program that polls once, or
        // does not loop to the end offset, misses records.
        int count = MORE_THAN_ONE_POLL + ThreadLocalRandom.current().nextInt(400);
        values = Ratings.generate(ThreadLocalRandom.current().nextLong(), count).stream().map(Rating::toJson).toList();
        startOffset = 3 + ThreadLocalRandom.current().nextInt(count - 600);
        String topic = bench.name("ratings");
        bench.broker().createTopic(topic, 1);
        bench.broker().produce(values.stream().map(v -> new ProducerRecord<String, String>(topic, v)).toList());
        // Once it printed the last record it should end: one that polls on is stopped seconds later.
        java.util.function.Predicate<String> lastRecord = line -> line.startsWith((count - 1) + "\t");
        fromBeginning = bench.program().run(Map.of("RATINGS_TOPIC", topic), lastRecord);
        // A program that never stops would only time out again: one wait is enough.
        fromOffset = fromBeginning.timedOut() ? fromBeginning
                : bench.program().run(Map.of("RATINGS_TOPIC", topic, "START_OFFSET", String.valueOf(startOffset)), lastRecord);
    }

    @Test
    @Order(1)
    @DisplayName("the program stops by itself at the end of the log")
    void runs() {
        String hint = "The loop ends once the position reaches the end offset; poll() alone never ends.";
        fromBeginning.expectSuccess(hint);
        fromOffset.expectSuccess(hint);
    }

    @Test
    @Order(2)
    @DisplayName("without START_OFFSET it reads every record, from the first")
    void readsFromBeginning() {
        List<Printed> printed = PrintedRecords.parse(fromBeginning.stdout());
        List<Long> offsets = PrintedRecords.offsets(printed);
        String hint;
        if (offsets.isEmpty()) {
            hint = "Nothing was read. A reader with no position of its own starts at the end of the log (auto.offset.reset=latest), "
                    + "where nothing comes: seek to the beginning first (consumer.seekToBeginning). Did you print \"offset<TAB>value\"?";
        } else if (offsets.get(0) > 0) {
            hint = "The first records are missing: start at the beginning of the log.";
        } else if (offsets.size() <= 500 && offsets.size() < values.size()) {
            hint = "One poll() returns at most max.poll.records (500) records: keep polling until the position reaches "
                    + "the end offset (while (consumer.position(partition) < end) { ... }).";
        } else {
            hint = "Print one line per record: its offset, a tab, its value.";
        }
        Expect.equal("Not every record was read, in order", PrintedRecords.describe(PrintedRecords.range(0, values.size())),
                PrintedRecords.describe(offsets), hint);
        expectValues(printed);
    }

    @Test
    @Order(3)
    @DisplayName("with START_OFFSET=n it reads from offset n exactly, to the end")
    void readsFromOffset() {
        if (fromOffset == fromBeginning) { // not run with START_OFFSET: its records say nothing about seek
            throw Expect.fail("Not tried with START_OFFSET: the run without it did not end by itself",
                    "a program that stops at the end of the log", "stopped after " + fromBeginning.took().toSeconds() + " s",
                    "Make it stop at the end offset (the first check), then grade again: START_OFFSET is tried next.");
        }
        List<Long> offsets = PrintedRecords.offsets(PrintedRecords.parse(fromOffset.stdout()));
        String hint;
        if (!offsets.isEmpty() && offsets.get(0) == startOffset + 1) {
            hint = "Off by one: seek(partition, n) makes the record at offset n the next one read.";
        } else if (!offsets.isEmpty() && offsets.get(0) == startOffset - 1) {
            hint = "Off by one: the record at offset n is the first to print, not the one before it.";
        } else if (!offsets.isEmpty() && offsets.get(0) == 0) {
            hint = "START_OFFSET was ignored: when it is set, seek(partition, Long.parseLong(START_OFFSET)).";
        } else {
            hint = "consumer.seek(partition, n) moves the reader's position to offset n.";
        }
        Expect.equal("START_OFFSET=" + startOffset + " was not where reading started",
                PrintedRecords.describe(PrintedRecords.range(startOffset, values.size())), PrintedRecords.describe(offsets), hint);
    }

    private void expectValues(List<Printed> printed) {
        for (Printed record : printed) {
            Expect.isTrue(record.offset() < values.size() && values.get((int) record.offset()).equals(record.value()),
                    "The value printed for offset " + record.offset() + " is not the record's value",
                    record.offset() < values.size() ? values.get((int) record.offset()) : "(no record at that offset)",
                    record.value(), "Print record.offset() and record.value() of the same record.");
        }
    }
}
