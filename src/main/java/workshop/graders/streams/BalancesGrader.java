package workshop.graders.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.Tables;
import workshop.oracle.Transaction;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades streams2: the stream/table duality. The grader writes transactions (the talk's +50, +25,
 * -60 to account 12345 first) and ratings, runs the application until its group has committed
 * them, and compares with {@link Tables}: one balance per transaction (an upsert of its account),
 * the latest rating of each user, and compacted changelogs that hold each table.
 */
@Grader("streams2")
class BalancesGrader {

    private boolean consumed;
    private String notConsumed;
    private List<Transaction> transactions;
    private List<Rating> ratings;
    private List<ConsumerRecord<String, String>> balances;
    private List<ConsumerRecord<String, String>> latest;
    private String balancesChangelog;
    private String latestChangelog;
    private Map<String, String> balancesChangelogConfig = Map.of();
    private Map<String, String> latestChangelogConfig = Map.of();
    private List<ConsumerRecord<String, byte[]>> balancesChangelogRecords = List.of();

    @BeforeAll
    void runExercise(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String transactionsTopic = bench.name("transactions");
        String balancesTopic = bench.name("balances");
        String ratingsTopic = bench.name("ratings");
        String latestTopic = bench.name("latest-ratings");
        StreamsApp.createTopic(bench, transactionsTopic, 2);
        StreamsApp.createTopic(bench, balancesTopic, 1);
        StreamsApp.createTopic(bench, ratingsTopic, 1);   // one partition: "latest" is the order they arrive in
        StreamsApp.createTopic(bench, latestTopic, 1);
        transactions = Tables.transactions(random.nextLong(), 4, 20 + random.nextInt(10), Ratings.FIRST_RATING_TIME);
        ratings = Ratings.generate(random.nextLong(), 30 + random.nextInt(10));
        List<ProducerRecord<String, String>> input = new ArrayList<>();
        transactions.forEach(t -> input.add(new ProducerRecord<>(transactionsTopic, null, t.time(), t.accountId(), t.toJson())));
        ratings.forEach(r -> input.add(new ProducerRecord<>(ratingsTopic, null, r.ratingTime(), String.valueOf(r.ratingId()), r.toJson())));
        bench.broker().produce(input);

        StreamsApp app = new StreamsApp(bench, "balances");
        app.start(Map.of("TRANSACTIONS_TOPIC", transactionsTopic, "BALANCES_TOPIC", balancesTopic,
                "RATINGS_TOPIC", ratingsTopic, "LATEST_RATINGS_TOPIC", latestTopic));
        consumed = app.awaitConsumed(List.of(transactionsTopic, ratingsTopic), StreamsApp.PROGRESS_TIMEOUT);
        notConsumed = consumed ? "" : app.notConsumedActual();
        app.stop();
        balances = bench.broker().records(balancesTopic);
        latest = bench.broker().records(latestTopic);
        balancesChangelog = app.applicationId() + "-balances-changelog";
        latestChangelog = app.applicationId() + "-latest-ratings-changelog";
        if (bench.broker().describe(balancesChangelog).isPresent()) {
            balancesChangelogConfig = bench.broker().topicConfig(balancesChangelog);
            balancesChangelogRecords = StreamsApp.rawRecords(bench.broker(), balancesChangelog);
        }
        if (bench.broker().describe(latestChangelog).isPresent()) {
            latestChangelogConfig = bench.broker().topicConfig(latestChangelog);
        }
    }

    @Test
    @Order(1)
    @DisplayName("the application processes every transaction and rating, and commits")
    void consumesInput() {
        Expect.isTrue(consumed, "The application did not get through its input", "its group commits the end of both topics",
                notConsumed, "Run it yourself and read what it prints.");
    }

    @Test
    @Order(2)
    @DisplayName("account 12345's balance goes 50, 75, 15: the talk's example")
    void talkExample() {
        List<String> seen = updatesOf(Tables.TALK_ACCOUNT);
        Expect.equal("Account " + Tables.TALK_ACCOUNT + "'s balances are not the talk's", List.of("50", "75", "15"), seen,
                seen.size() == 1 ? "Only the last balance came out: the table's cache keeps updates back until a commit. Set statestore.cache.max.bytes to 0 to see every upsert."
                        : seen.isEmpty() ? "No balance of " + Tables.TALK_ACCOUNT + ": write balances.toStream() to BALANCES_TOPIC, keyed by account_id, the balance as text."
                        : "The aggregator adds each amount to the balance so far: (account, transaction, balance) -> balance + transaction.amount(), starting from 0.");
    }

    @Test
    @Order(3)
    @DisplayName("every transaction upserts its account's balance, in order")
    void everyUpsert() {
        Map<String, List<String>> wanted = new TreeMap<>();
        Tables.balanceUpdates(transactions).forEach(u -> wanted.computeIfAbsent(u.key(), k -> new ArrayList<>()).add(String.valueOf(u.value())));
        Map<String, List<String>> seen = new TreeMap<>();
        balances.forEach(r -> seen.computeIfAbsent(String.valueOf(r.key()), k -> new ArrayList<>()).add(r.value()));
        Expect.equal("The balances topic does not hold one new balance per transaction", wanted, seen,
                "Each transaction changes one row of the table: its account's balance. Sum amounts per account (groupByKey().aggregate), starting from 0.");
    }

    @Test
    @Order(4)
    @DisplayName("the latest rating of each user is the table's row for that user")
    void latestRatings() {
        Map<String, Long> wanted = new TreeMap<>();
        Tables.latestRatings(ratings).forEach((user, rating) -> wanted.put(user, rating.ratingId()));
        Map<String, Long> seen = new TreeMap<>();
        for (ConsumerRecord<String, String> record : latest) {
            seen.put(String.valueOf(record.key()), record.value() == null ? null : Rating.fromJson(record.value()).ratingId());
        }
        Expect.equal("The latest rating per user (user_id=rating_id) is not what the table says", wanted, seen,
                seen.isEmpty() ? "Write latestRatings.toStream() to LATEST_RATINGS_TOPIC."
                        : "A table keeps the last value per key: re-key the ratings by user_id (selectKey), then toTable().");
    }

    @Test
    @Order(5)
    @DisplayName("each table's state store is kept in a compacted changelog topic")
    void compactedChangelogs() {
        Expect.isTrue(!balancesChangelogConfig.isEmpty(), "No changelog for the balances' store", balancesChangelog, "no such topic",
                "Name the store: Materialized.as(\"balances\"); Kafka Streams then keeps it in <application id>-balances-changelog.");
        Expect.isTrue(!latestChangelogConfig.isEmpty(), "No changelog for the latest ratings' store", latestChangelog, "no such topic",
                "Name the store: toTable(Materialized.as(\"latest-ratings\")...).");
        Expect.equal("The balances' changelog is not compacted", "compact", balancesChangelogConfig.get("cleanup.policy"),
                "Leave the store's logging on: Kafka Streams creates its changelog compacted.");
        Map<String, Long> table = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : balancesChangelogRecords) {
            table.put(record.key(), record.value() == null || record.value().length != Long.BYTES ? null : ByteBuffer.wrap(record.value()).getLong());
        }
        Expect.equal("The balances' changelog does not end with each account's balance", new TreeMap<>(Tables.balances(transactions)), new TreeMap<>(table),
                "Store balances as numbers: Materialized.as(\"balances\").withValueSerde(Serdes.Long()).");
    }

    private List<String> updatesOf(String account) {
        return balances.stream().filter(r -> account.equals(r.key())).map(ConsumerRecord::value).toList();
    }
}
