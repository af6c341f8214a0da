package workshop.graders.log;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades log1: every line of the ratings file becomes a record, appended in file order at
 * consecutive offsets, its value unchanged. The file is made afresh with a random seed, so
 * only a program that really reads and appends it can pass.
 */
@Grader
class AppendRatingsGrader {

    private List<String> lines;
    private ProgramRun run;
    private List<ConsumerRecord<String, String>> records;

    @BeforeAll
    void runExercise(Workbench bench) {
        int count = 15 + ThreadLocalRandom.current().nextInt(10);
        List<Rating> ratings = Ratings.generate(ThreadLocalRandom.current().nextLong(), count);
        lines = ratings.stream().map(Rating::toJson).toList();
        Path file = bench.writeRatingsFile(ratings);
        String topic = bench.name("ratings");
        bench.broker().createTopic(topic, 1);
        run = bench.program().run(Map.of("RATINGS_TOPIC", topic, "RATINGS_FILE", file.toString()));
        records = bench.broker().records(topic);
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Appending a few ratings takes well under a second.");
    }

    @Test
    @Order(2)
    @DisplayName("every rating reaches the topic, once")
    void everyRatingArrives() {
        Expect.equal("The topic does not hold one record per rating", lines.size() + " records", records.size() + " records",
                records.size() < lines.size()
                        ? "send() only puts a record in the producer's buffer; a background thread ships it. If main "
                        + "returns first, the records are lost: call producer.flush() or close() the producer before the end."
                        : "Each line of the file should be sent exactly once.");
    }

    @Test
    @Order(3)
    @DisplayName("records sit at consecutive offsets from 0, in file order")
    void inOrder() {
        List<Long> offsets = records.stream().map(ConsumerRecord::offset).toList();
        Expect.equal("The records are not at the offsets a log gives them", PrintedRecords.describe(PrintedRecords.range(0, lines.size())),
                PrintedRecords.describe(offsets), "Each appended record gets the next offset; send the lines one after another, in order.");
        List<String> values = records.stream().map(ConsumerRecord::value).toList();
        for (int i = 0; i < Math.min(values.size(), lines.size()); i++) {
            if (!lines.get(i).equals(values.get(i)) && lines.contains(values.get(i))) {
                throw Expect.fail("The record at offset " + i + " holds another line of the file", "line " + (i + 1) + ": " + lines.get(i),
                        values.get(i), "Send the lines in the order of the file.");
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("each value is the rating's line, unchanged")
    void unchanged() {
        Expect.isTrue(!records.isEmpty(), "The topic holds no records to compare with the file", "the file's lines", "no records",
                "Send each line as the value of a record (see TODO 1).");
        for (ConsumerRecord<String, String> record : records) {
            Expect.isTrue(lines.contains(record.value()), "The record at offset " + record.offset() + " is not a line of the file",
                    "one of the lines, byte for byte, e.g. " + lines.get(0), record.value(),
                    "Use the line as the record's value, as it is: the log stores bytes and gives them back unchanged.");
        }
        Expect.isTrue(records.stream().allMatch(r -> r.key() == null), "Some records have a key", "records without a key",
                records.stream().map(r -> String.valueOf(r.key())).distinct().limit(3).toList().toString(),
                "Keys come in module 4; here, create each record with the topic and the value only.");
    }
}
