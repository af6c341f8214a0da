package workshop.graders.streams;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Ratings;
import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.Tables;
import workshop.oracle.Transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Grades streams3: balances, exactly once. Once the application has committed its first
 * transactions, more keep arriving while it runs;
 * once it has committed at least once and has written output beyond its last commit, the grader
 * kills it (SIGKILL: no clean shutdown) and starts it again with the same application id and
 * state directory. Read with read_committed, each account's balances must be exactly
 * {@link Tables#balanceUpdates}: every transaction once (no duplicates of the attempt that died),
 * and the restarted application continuing from the restored balances (not from 0).
 */
@Grader(value = "streams3", isolation = "timing")
class ExactlyOnceBalancesGrader {

    static final int TRANSACTIONS = 400;
    static final int UPFRONT = 100;
    static final int CHUNK = 10;
    static final long CHUNK_PAUSE_MS = 100;
    /** Kill once this many more output records exist than inputs committed: work in flight, not yet committed. */
    static final int IN_FLIGHT = 20;

    private List<Transaction> transactions;
    private boolean killedMidStream;
    private String killState = "";
    private boolean consumed;
    private String notConsumed;
    private List<ConsumerRecord<String, String>> balances = List.of();
    private Thread feeder;

    @BeforeAll
    void runExercise(Workbench bench) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String input = bench.name("transactions");
        String output = bench.name("balances");
        Broker broker = bench.broker();
        StreamsApp.createTopic(bench, input, 2);
        StreamsApp.createTopic(bench, output, 1);
        transactions = Tables.transactions(random.nextLong(), 5, TRANSACTIONS - Tables.TALK_AMOUNTS.size(), Ratings.FIRST_RATING_TIME);
        broker.produce(transactions.subList(0, UPFRONT).stream().map(t -> record(input, t)).toList());
        feeder = new Thread(() -> feed(broker, input), "streams3-feeder");

        Map<String, String> env = Map.of("TRANSACTIONS_TOPIC", input, "BALANCES_TOPIC", output);
        StreamsApp app = new StreamsApp(bench, "exactly-once-balances");
        app.start(env);
        awaitFirstCommit(broker, app, input);   // a slow start must not miss the stream: feed it once it runs
        feeder.start();
        killedMidStream = awaitWorkInFlight(broker, app, input, output);
        app.stop();

        StreamsApp restarted = app;
        restarted.start(env);
        feeder.join(TimeUnit.SECONDS.toMillis(30));
        consumed = restarted.awaitConsumed(List.of(input), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : restarted.notConsumedActual();
        restarted.stop();
        balances = StreamsApp.committedRecords(broker, output);
    }

    private ProducerRecord<String, String> record(String topic, Transaction t) {
        return new ProducerRecord<>(topic, null, t.time(), t.accountId(), t.toJson());
    }

    /** Sends the rest of the transactions a chunk at a time, so that they arrive while the application runs (and dies). */
    private void feed(Broker broker, String topic) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.clientConfig(Map.of( // room mode: the cluster's security settings
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)), new StringSerializer(), new StringSerializer())) {
            for (int i = UPFRONT; i < transactions.size(); i += CHUNK) {
                transactions.subList(i, Math.min(i + CHUNK, transactions.size())).forEach(t -> producer.send(record(topic, t)));
                producer.flush();
                StreamsApp.sleep(CHUNK_PAUSE_MS);
            }
        }
    }

    /** Waits until the application has committed some of the first transactions (or died, or the time ran out). */
    private void awaitFirstCommit(Broker broker, StreamsApp app, String input) {
        long deadline = System.nanoTime() + StreamsApp.PROGRESS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                if (broker.committedOffsets(app.applicationId()).keySet().stream().anyMatch(p -> p.topic().equals(input))) {
                    return;
                }
            } catch (RuntimeException e) {
                // the group does not exist yet: ask again
            }
            StreamsApp.sleep(50);
        }
    }

    /** Waits until the application has committed once and has written output beyond its last commit. */
    private boolean awaitWorkInFlight(Broker broker, StreamsApp app, String input, String output) {
        long deadline = System.nanoTime() + StreamsApp.PROGRESS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                long committed = broker.committedOffsets(app.applicationId()).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(input)).mapToLong(Map.Entry::getValue).sum();
                long written = broker.admin().listOffsets(Map.of(new TopicPartition(output, 0), OffsetSpec.latest()))
                        .all().get(10, TimeUnit.SECONDS).get(new TopicPartition(output, 0)).offset();
                killState = "committed " + committed + " transactions, " + written + " records written";
                if (committed > 0 && written > committed + IN_FLIGHT) {
                    return true;
                }
            } catch (Exception e) {
                killState = "cannot read its progress: " + e.getMessage();
            }
            StreamsApp.sleep(20);
        }
        return false;
    }

    @AfterAll
    void stopFeeder() throws InterruptedException {
        if (feeder != null) {
            feeder.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    @Order(1)
    @DisplayName("the application is killed mid-stream, with work done since its last commit")
    void killedMidStream() {
        Expect.isTrue(killedMidStream, "The grader found no moment to kill the application mid-stream",
                "a commit, then more output than committed input", killState.isEmpty() ? "no progress" : killState,
                "It must commit (every second here) and write a balance for every transaction (statestore.cache.max.bytes 0).");
    }

    @Test
    @Order(2)
    @DisplayName("restarted, it processes the rest of the transactions")
    void restartCatchesUp() {
        Expect.isTrue(consumed, "The restarted application did not get through its input", "its group commits the end of the transactions",
                notConsumed, "Start it yourself twice with the same APPLICATION_ID and read what it prints.");
    }

    @Test
    @Order(3)
    @DisplayName("read_committed, every transaction counts exactly once and balances continue after the restart")
    void exactlyOnce() {
        Map<String, List<Long>> wanted = new TreeMap<>();
        Tables.balanceUpdates(transactions).forEach(u -> wanted.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(u.value()));
        Map<String, List<Long>> seen = new TreeMap<>();
        for (ConsumerRecord<String, String> record : balances) {
            seen.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>()).add(parse(record.value()));
        }
        for (var account : wanted.entrySet()) {
            List<Long> got = seen.getOrDefault(account.getKey(), List.of());
            if (got.equals(account.getValue())) {
                continue;
            }
            String hint = got.size() > account.getValue().size()
                    ? "More balances than transactions: the attempt that was killed had written balances that the restart wrote again. "
                      + "Set processing.guarantee to exactly_once_v2: output, state and offsets then commit together, and read_committed readers never see an aborted attempt."
                    : got.size() == account.getValue().size()
                    ? "As many balances as transactions, but wrong ones: after the restart the balances started over. Keep the store's changelog "
                      + "(a Materialized store with logging on), so that a restart restores the balances."
                    : "Fewer balances than transactions: every transaction must update its account's balance (and statestore.cache.max.bytes 0 shows each update).";
            throw Expect.fail("Account " + account.getKey() + "'s balances, read_committed, are not one per transaction in order",
                    account.getValue().toString(), got.toString(), hint);
        }
        Expect.isTrue(!wanted.isEmpty(), "No transactions", "some", "none", "");
    }

    private static Long parse(String value) {
        try {
            return value == null ? null : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
