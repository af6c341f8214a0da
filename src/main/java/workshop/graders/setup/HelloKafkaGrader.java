package workshop.graders.setup;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Grades setup1: one event written to a topic, and the program reports where it was stored. */
@Grader
class HelloKafkaGrader {

    static final String GREETING = "hello, kafka";
    private static final Pattern REPORT = Pattern.compile("partition (\\d+), at offset (\\d+)");

    private String clusterId;
    private ProgramRun run;
    private List<ConsumerRecord<String, String>> records;

    @BeforeAll
    void runExercise(Workbench bench) throws Exception {
        clusterId = bench.broker().admin().describeCluster().clusterId().get();
        String topic = bench.name("hello");
        bench.broker().createTopic(topic, 1);
        run = bench.program().run(Map.of("HELLO_TOPIC", topic));
        records = bench.broker().records(topic);
    }

    @Test
    @Order(1)
    @DisplayName("the workshop stack answers")
    void stackAnswers() {
        Expect.isTrue(clusterId != null && !clusterId.isBlank(), "The broker did not say which cluster it belongs to",
                "a cluster id", String.valueOf(clusterId), "Run ./jbang workshop doctor to see what is wrong with the stack.");
    }

    @Test
    @Order(2)
    @DisplayName("the program runs to completion")
    void runs() {
        run.expectSuccess("Sending one event takes well under a second when the broker answers.");
    }

    @Test
    @Order(3)
    @DisplayName("the topic holds your event \"" + GREETING + "\"")
    void eventStored() {
        List<String> values = records.stream().map(ConsumerRecord::value).toList();
        Expect.equal("The topic does not hold exactly your one event", List.of(GREETING), values,
                "Send new ProducerRecord<>(TOPIC, \"" + GREETING + "\") once, and wait for it with get().");
    }

    @Test
    @Order(4)
    @DisplayName("the program reports where the broker stored the event")
    void reportsOffset() {
        Matcher report = run.stdout().stream().map(REPORT::matcher).filter(Matcher::find).findFirst().orElse(null);
        Expect.isTrue(report != null, "The program did not print where the event was stored",
                "a line like \"Stored in hello, partition 0, at offset 0\"", String.join(" / ", run.stdout()),
                "Use the RecordMetadata that send(...).get() returns.");
        Expect.isTrue(!records.isEmpty(), "There is no stored event to compare with", "one event in the topic", "none", null);
        ConsumerRecord<String, String> stored = records.get(0);
        String printed = "partition " + report.group(1) + ", offset " + report.group(2);
        String actual = "partition " + stored.partition() + ", offset " + stored.offset();
        Expect.equal("The printed position is not where the event is", actual, printed,
                "Print the partition and offset of the RecordMetadata the broker returned.");
    }
}
