package workshop.graders.producing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grades producing3 (stretch): the program sends N records as fast as it can; the grader runs
 * Kafka's own producer performance tool (kafka-producer-perf-test, default producer settings)
 * with as many records of about the same size on the same broker, and compares the two rates.
 *
 * <p>Both rates are measured on the broker: both topics stamp each batch with the broker's
 * clock when it is appended (message.timestamp.type=LogAppendTime), so the time from the
 * first append to the last one is how long the broker was busy taking the records, whatever a
 * program prints. A producer far too slow to pass (one round trip per record) is stopped
 * early rather than waited for.
 */
@Grader(isolation = "timing")
class FastProducerGrader {

    /** The learner's producer must reach this share of the tool's rate: robust on a busy 2-core machine. */
    static final double REQUIRED_SHARE = 0.25;
    /**
     * A run whose rate, {@link #PATIENCE} after its first record arrived, is below this share of the
     * tool's is stopped: far below what passes, so that only a hopeless producer (one round trip per
     * record reaches 1 to 3 % of the tool) is cut short, never a slow start.
     */
    static final double HOPELESS_SHARE = 0.05;
    static final Duration PATIENCE = Duration.ofSeconds(3);
    static final Duration MAX_RUN = Duration.ofSeconds(40);
    static final int PARTITIONS = 3;
    static final int RECORD_SIZE = 100;

    private static final String TOOL = "org.apache.kafka.tools.ProducerPerformance";
    private static final Pattern TOOL_SUMMARY = Pattern.compile("^(\\d+) records sent, ([\\d.]+) records/sec.*");
    private static final Pattern PRINTED_RATE = Pattern.compile("^records_per_second\\t\\s*([\\d.]+)\\s*$");

    private int records;
    private Map<String, String> producerConfig;
    private Measured tool;
    private Measured learner;
    private ProgramRun run;
    /** Why the grader stopped the program early, or null. */
    private String stopped;

    /** What the broker saw of one producer: records appended and the first and last append times. */
    record Measured(long count, long firstAppend, long lastAppend, OptionalDouble printedRate, String problem) {

        /** Records per second from the first append to the last. */
        double rate() {
            return count / (Math.max(1, lastAppend - firstAppend) / 1000.0);
        }

        String describe(String printedBy) {
            return String.format(Locale.ROOT, "%,.0f records/s (%,d records in %.2f s on the broker%s)", rate(), count,
                    (lastAppend - firstAppend) / 1000.0,
                    printedRate.isPresent() ? String.format(Locale.ROOT, "; %s printed %,.0f", printedBy, printedRate.getAsDouble()) : "");
        }
    }

    @BeforeAll
    void runExercise(Workbench bench) throws Exception {
        records = 100_000 + 1_000 * ThreadLocalRandom.current().nextInt(30);
        Broker broker = bench.broker();
        Map<String, String> logAppendTime = Map.of("message.timestamp.type", "LogAppendTime");
        String toolTopic = bench.name("perf-test");
        String topic = bench.name("ratings-load");
        broker.createTopic(toolTopic, PARTITIONS, (short) 1, logAppendTime);
        broker.createTopic(topic, PARTITIONS, (short) 1, logAppendTime);
        producerConfig = bench.program().configFrom("producerConfig");

        tool = runTool(bench, toolTopic);

        RunningProgram program = bench.program().start(Map.of("RATINGS_TOPIC", topic, "RECORDS", String.valueOf(records)));
        try {
            watch(broker, topic, program); // returns when the program ended, was stopped, or ran MAX_RUN
            run = program.await(Duration.ofSeconds(2));
        } finally {
            if (program.isAlive()) {
                program.kill();
            }
        }
        learner = measure(broker, topic, printedRate(run.stdout()), null);
    }

    /** Waits for the program, stopping it once it is clearly too slow to pass. */
    private void watch(Broker broker, String topic, RunningProgram program) throws InterruptedException {
        long started = System.nanoTime();
        long firstSeen = 0;
        long maxRun = workshop.stack.MachinePace.scale(MAX_RUN).toNanos();
        while (program.isAlive() && System.nanoTime() - started < maxRun) {
            Thread.sleep(200);
            long count = broker.recordCount(topic);
            long now = System.nanoTime();
            if (count > 0 && firstSeen == 0) {
                firstSeen = now;
            }
            if (firstSeen != 0 && tool.problem() == null && now - firstSeen > PATIENCE.toNanos() && program.isAlive()) {
                double rate = count / ((now - firstSeen) / 1e9);
                if (rate < HOPELESS_SHARE * tool.rate() && count < records) {
                    program.kill();
                    stopped = String.format(Locale.ROOT, "stopped after %.1f s with %,d of %,d records (%,.0f records/s: %,.0f s for all of them)",
                            (now - started) / 1e9, count, records, rate, records / rate);
                }
            }
        }
    }

    /** Runs kafka-producer-perf-test in a JVM of its own, like the exercise, on the same broker. */
    private Measured runTool(Workbench bench, String topic) {
        List<String> args = new java.util.ArrayList<>(List.of("--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(RECORD_SIZE),
                "--throughput", "-1", "--bootstrap-server", bench.broker().bootstrapServers(),
                "--command-property", "max.block.ms=" + bench.broker().timeout().toMillis()));
        if (!bench.endpoints().kafkaClient().isEmpty()) { // room mode: the secured cluster's settings, in a file as Kafka's tools take them
            args.addAll(List.of("--command-config", workshop.stack.KafkaClientSettings.file(bench.endpoints().kafkaClient()).toString()));
        }
        ProgramRun perfTest = bench.runTool(TOOL, args, MAX_RUN);
        if (perfTest.timedOut()) {
            return new Measured(0, 0, 0, OptionalDouble.empty(), "did not finish within " + perfTest.took().toSeconds() + " s ("
                    + workshop.stack.MachinePace.describe() + ")");
        }
        List<String> lines = new java.util.ArrayList<>(perfTest.stdout());
        lines.addAll(perfTest.stderr());
        OptionalDouble printed = OptionalDouble.empty();
        for (String line : lines) {
            Matcher m = TOOL_SUMMARY.matcher(line.trim());
            if (m.matches()) {
                printed = OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        String problem = perfTest.exitCode() != 0 || printed.isEmpty()
                ? "failed (exit code " + perfTest.exitCode() + "): " + lines.stream().skip(Math.max(0, lines.size() - 3)).collect(Collectors.joining(" | "))
                : null;
        return measure(bench.broker(), topic, printed, problem);
    }

    private Measured measure(Broker broker, String topic, OptionalDouble printed, String problem) {
        Map<TopicPartition, Long> ends = broker.endOffsets(topic);
        long count = ends.values().stream().mapToLong(Long::longValue).sum();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(broker.clientConfig(Map.of( // room mode: the cluster's security settings
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) broker.timeout().toMillis())))) {
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (end.getValue() == 0) {
                    continue;
                }
                ConsumerRecord<byte[], byte[]> oldest = recordAt(consumer, end.getKey(), 0);
                ConsumerRecord<byte[], byte[]> newest = recordAt(consumer, end.getKey(), end.getValue() - 1);
                if (oldest == null || newest == null) {
                    return new Measured(count, 0, 0, printed, "the grader could not read the append times of " + topic);
                }
                if (oldest.timestampType() != TimestampType.LOG_APPEND_TIME) {
                    return new Measured(count, 0, 0, printed, "the topic " + topic + " does not stamp records with the broker's time");
                }
                first = Math.min(first, oldest.timestamp());
                last = Math.max(last, newest.timestamp());
            }
        }
        return count == 0 ? new Measured(0, 0, 0, printed, problem) : new Measured(count, first, last, printed, problem);
    }

    private static ConsumerRecord<byte[], byte[]> recordAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + workshop.stack.MachinePace.scale(Duration.ofSeconds(10)).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= offset) {
                    return record;
                }
            }
        }
        return null;
    }

    private static OptionalDouble printedRate(List<String> stdout) {
        OptionalDouble rate = OptionalDouble.empty();
        for (String line : stdout) {
            Matcher m = PRINTED_RATE.matcher(line);
            if (m.matches()) {
                rate = OptionalDouble.of(Double.parseDouble(m.group(1)));
            }
        }
        return rate;
    }

    private static final String DO_NOT_WAIT = "send(record).get() waits for the broker's answer before the next record: one "
            + "network round trip per record. Send without waiting (send(record, callback)), and flush() once at the end.";

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        if (stopped != null) {
            throw Expect.fail("The grader stopped the program: it was far too slow to pass", "all " + String.format(Locale.ROOT, "%,d", records)
                    + " records at a rate of at least " + String.format(Locale.ROOT, "%,.0f", REQUIRED_SHARE * tool.rate()) + " records/s", stopped, DO_NOT_WAIT);
        }
        run.expectSuccess("Sending " + records + " records should take a few seconds: make sure nothing waits forever.");
    }

    @Test
    @Order(2)
    @DisplayName("all RECORDS records reach the topic")
    void allArrive() {
        Expect.equal("The topic does not hold RECORDS=" + records + " records", String.format(Locale.ROOT, "%,d records", records),
                String.format(Locale.ROOT, "%,d records", learner.count()),
                learner.count() < records
                        ? stopped != null ? DO_NOT_WAIT
                        : "Records still in a batch when main returns are lost: flush() or close() the producer before the end."
                        : "Send each record once.");
    }

    @Test
    @Order(3)
    @DisplayName("producerConfig() batches: linger.ms above 0, batch.size of at least 64 KB")
    void batching() {
        long linger = number(producerConfig.get("linger.ms"));
        Expect.isTrue(linger > 0, "The producer does not wait to fill batches", "linger.ms > 0, e.g. 10 to 50",
                "linger.ms=" + producerConfig.getOrDefault("linger.ms", "(not set)"),
                "Set linger.ms in producerConfig(). With linger.ms=0 a batch leaves as soon as the I/O thread is free, often with few records. Waiting a few "
                + "milliseconds fills bigger batches: fewer requests for the same records.");
        long batch = number(producerConfig.get("batch.size"));
        Expect.isTrue(batch >= 64 * 1024, "The producer's batches are small", "batch.size >= 65536 (64 KB), e.g. 262144",
                "batch.size=" + producerConfig.getOrDefault("batch.size", "(not set: 16384, the default)"),
                "batch.size is the most a batch for one partition holds, in bytes: 16 KB by default, about 160 of these records.");
    }

    @Test
    @Order(4)
    @DisplayName("producerConfig() compresses the batches")
    void compression() {
        String type = producerConfig.getOrDefault("compression.type", "none");
        Expect.isTrue(!type.equals("none"), "The producer sends its batches uncompressed", "compression.type lz4, zstd, snappy or gzip",
                "compression.type=" + type,
                "A batch is compressed as a whole: JSON that repeats the same field names shrinks to a fraction, so fewer bytes "
                + "cross the network and land on disk. lz4 and zstd are fast.");
    }

    @Test
    @Order(5)
    @DisplayName("producerConfig() keeps acks=all and idempotence: speed is not bought with safety")
    void stillSafe() {
        String acks = producerConfig.getOrDefault("acks", "all");
        Expect.isTrue(acks.equals("all") || acks.equals("-1"), "The producer stopped waiting for the replicas", "acks=all", "acks=" + acks,
                "acks=0 or 1 is faster because it is less careful: records acknowledged that way can be lost. Batching and "
                + "compression make a careful producer fast.");
        Expect.isTrue(!"false".equals(producerConfig.get("enable.idempotence")), "The producer is no longer idempotent",
                "enable.idempotence=true", "enable.idempotence=false", "Idempotence costs almost nothing: keep it on.");
    }

    @Test
    @Order(6)
    @DisplayName("the program prints its rate: records_per_second<TAB>n")
    void printsRate() {
        Expect.isTrue(learner.printedRate().isPresent() && learner.printedRate().getAsDouble() > 0,
                "The program does not print how many records per second it sent", "a line records_per_second<TAB>n, e.g. records_per_second\t95000",
                run.stdout().isEmpty() ? "no output" : "last line: " + run.stdout().get(run.stdout().size() - 1),
                "Measure from before the first send() to after flush(), and print RECORDS / seconds.");
    }

    @Test
    @Order(7)
    @DisplayName("it sends at least a quarter as many records per second as kafka-producer-perf-test")
    void fastEnough(TestReporter reporter) {
        if (tool.problem() == null && learner.count() > 0) {
            // The two rates side by side, also when the check passes: the guide compares them.
            reporter.publishEntry("measured", String.format(Locale.ROOT,
                    "measured on this broker: your producer %,.0f records/s, kafka-producer-perf-test %,.0f records/s",
                    learner.rate(), tool.rate()));
        }
        Expect.isTrue(tool.problem() == null, "The grader could not measure Kafka's producer performance tool on this broker",
                "kafka-producer-perf-test runs", String.valueOf(tool.problem()),
                "This is a problem of the grading, not of your program: run the check again; if it persists, tell the trainer.");
        Expect.isTrue(learner.count() > 0 && learner.problem() == null, "The broker received nothing to measure", "records",
                learner.problem() == null ? "no records" : learner.problem(), "Send the records (see the checks above).");
        String comparison = "your producer: " + learner.describe("it") + "\n"
                + "kafka-producer-perf-test (Kafka's default settings): " + tool.describe("the tool");
        Expect.isTrue(learner.rate() >= REQUIRED_SHARE * tool.rate(), "Your producer is much slower than Kafka's own tool on the same broker",
                String.format(Locale.ROOT, "at least %,.0f records/s (a quarter of the tool's rate)", REQUIRED_SHARE * tool.rate()),
                comparison + (stopped != null ? "\n(" + stopped + ")" : ""),
                learner.rate() < 0.1 * tool.rate()
                        ? DO_NOT_WAIT
                        : "Let the producer batch (linger.ms, batch.size) and compress; send without waiting for each record.");
    }

    private static long number(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
