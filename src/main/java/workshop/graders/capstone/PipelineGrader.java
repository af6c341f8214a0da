package workshop.graders.capstone;

import workshop.grading.Database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;
import workshop.oracle.Customer;
import workshop.oracle.Customers;
import workshop.oracle.EnrichedRating;
import workshop.oracle.RatingsJoin;
import workshop.oracle.WindowCount;
import workshop.oracle.Windowing;
import workshop.stack.MachinePace;
import workshop.stack.Service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades capstone2, end to end: the learner's pipeline app (connectors and Kafka Streams) and,
 * beside it, the learner's notifier (capstone1), with a webhook of the grader's own that answers
 * 503 to its first posts. The grader produces a known data set of Avro ratings, and half-way
 * UPDATEs two customers' club_status in PostgreSQL, as the talk's demo does: a platinum customer
 * becomes gold, a gold one platinum. It checks what reached PostgreSQL (every rating enriched
 * with the customer valid at its time; the per-minute counts) and the webhook (each unhappy
 * platinum customer's rating once, nothing else) against the oracles.
 */
// No isolation: its oracle needs none (its ratings name only the talk's customers 1..25, which no
// grader changes, and the two customers it inserts), and connect1 and connect2, which compare a
// copy of the customers table with the table, leave out the customers graders insert.
@Grader("capstone2")
class PipelineGrader {

    static final Duration FLOW = Duration.ofMinutes(4);
    static final Duration SETTLE = Duration.ofMinutes(2);
    /** The sinks or the webhook unchanged this long: the pipeline is done, or stuck. */
    static final Duration STILL = Duration.ofSeconds(45);
    /** The notifier's longest backoff is 5 s: its group committed the whole topic and no post for this long, it is done. */
    static final Duration NOTIFIER_QUIET = Duration.ofSeconds(7);
    static final int FIRST_PHASE = 50;
    static final int SECOND_PHASE = 50;
    static final int REFUSED_POSTS = 3;
    static final long WINDOW_MS = 60_000;
    static final long GRACE_MS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Rating> produced = new ArrayList<>();
    private final List<Customers.Change> history = new ArrayList<>();
    private String ratingsTable;
    private String countsTable;
    private String customersTopic;
    private String ratingsTopic;
    private int downgraded;
    private int upgraded;
    private long updateTime;
    private boolean warmedUp;
    private boolean tableLoaded;
    private String pipelineOutput = "";
    private String notifierOutput = "";
    private String notifierFile = "";
    private Map<Long, Map<String, String>> sinkRows = Map.of();
    private List<Map<String, String>> countRows = List.of();
    private List<String> notifications = List.of();
    private int refused;
    private Database database;
    private Workbench bench;
    private String prefix;

    @BeforeAll
    void runPipeline(Workbench bench) {
        this.bench = bench;
        prefix = bench.name("capstone").toLowerCase().replace('-', '_');
        ratingsTopic = prefix + "_ratings";
        customersTopic = prefix + ".public.customers";
        ratingsTable = prefix.replace('.', '_') + "_ratings"; // PostgreSQL reads alice.x as table x of schema alice (room mode)
        countsTable = prefix.replace('.', '_') + "_counts";
        database = new Database(bench);
        downgraded = insertCustomer("platinum");
        upgraded = insertCustomer("gold");
        bench.broker().createTopic(ratingsTopic, 1);

        Map<String, String> env = new LinkedHashMap<>();
        env.put("APPLICATION_ID", prefix + "_app");
        env.put("STATE_DIR", bench.scratchFile("state-" + prefix).toString()); // removed with the grading's files, not left in the temp folder
        env.put("RATINGS_TOPIC", ratingsTopic);
        env.put("TOPIC_PREFIX", prefix);
        env.put("ENRICHED_TOPIC", prefix + "_enriched");
        env.put("UNHAPPY_TOPIC", prefix + "_unhappy");
        env.put("COUNTS_TOPIC", prefix + "_counts");
        env.put("RATINGS_TABLE", ratingsTable);
        env.put("COUNTS_TABLE", countsTable);
        env.put("CONNECTOR_PREFIX", prefix);
        // Where Connect reaches PostgreSQL: the grader's address on the embedded stack, postgres:5432 when
        // Connect runs in a container (docker compose, Testcontainers) and cannot see the grader's localhost.
        env.putAll(new workshop.graders.connect.ConnectWorker(bench).databaseAddress(bench.endpoints().address(Service.POSTGRES)).environment());

        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.refuseNext(REFUSED_POSTS);
            Map<String, String> notifierEnv = new LinkedHashMap<>(bench.endpoints().environment());
            notifierEnv.put("UNHAPPY_TOPIC", env.get("UNHAPPY_TOPIC"));
            notifierEnv.put("GROUP_ID", prefix + "_notifier");
            notifierEnv.put("WEBHOOK_URL", receiver.url());
            Pipeline pipeline = startPipeline(bench, env);
            try (CompanionProgram notifier = startNotifier(bench, notifierEnv);
                 AvroRatingsProducer ratings = new AvroRatingsProducer(bench.endpoints(), ratingsTopic)) {
                notifierFile = bench.target().getParent().relativize(notifier.file()).toString();
                runDataSet(pipeline, ratings);
                awaitSinks(pipeline);
                awaitNotifications(receiver, env.get("UNHAPPY_TOPIC"));
                sleepQuietly(3_000); // a duplicate would come right after: give it the chance to show
                notifications = receiver.texts();
                refused = receiver.refused();
                notifierOutput = notifier.tail();
            } finally {
                pipeline.kill();
                pipelineOutput = pipeline.output();
            }
        }
    }

    /** The running pipeline: on the Streams track the learner's program. */
    interface Pipeline {
        boolean isAlive();

        void kill();

        /** Its last lines, for a message. */
        String output();
    }

    Pipeline startPipeline(Workbench bench, Map<String, String> env) {
        RunningProgram program = bench.program().start(env);
        return new Pipeline() {
            public boolean isAlive() {
                return program.isAlive();
            }

            public void kill() {
                program.kill();
            }

            public String output() {
                return tail(program.stdoutLines(), program.stderrLines());
            }
        };
    }

    /** The notifier beside the pipeline: the learner's capstone1 (UNHAPPY_TOPIC, GROUP_ID and WEBHOOK_URL in {@code env}). */
    CompanionProgram startNotifier(Workbench bench, Map<String, String> env) {
        return CompanionProgram.start(CompanionProgram.besides(bench.target(), "Notifier.java"), env);
    }

    /** What the pipeline's consumer group has committed (the Streams track: the application id). */
    Map<org.apache.kafka.common.TopicPartition, Long> committedOffsets(Workbench bench, String group) {
        return bench.broker().committedOffsets(group);
    }

    private int insertCustomer(String clubStatus) {
        return Integer.parseInt(database.insertCustomer(clubStatus).get("id"));
    }

    /**
     * A warm-up rating (proves the whole flow and that the table is loaded), the first half of the
     * ratings (times in the last minutes), the UPDATEs, and once Debezium has sent them, the second
     * half (times after the UPDATE, into the next minutes).
     */
    private void runDataSet(Pipeline pipeline, AvroRatingsProducer ratings) {
        Random random = new Random(ThreadLocalRandom.current().nextLong());
        long deadline = System.nanoTime() + FLOW.toNanos();
        while (!(tableLoaded = tableLoaded()) && pipeline.isAlive() && System.nanoTime() < deadline) {
            sleepQuietly(1_000);
        }
        // Ratings start 6 minutes ago, so that they fill several windows of a minute.
        long time = System.currentTimeMillis() - 6 * WINDOW_MS + random.nextInt(30_000);
        send(ratings, new Rating(1, downgraded, 5, 4242, time, "web", "smooth flight and we landed early"));
        ratings.flush();
        while (!(warmedUp = !database.queryIfTableExists("SELECT 1 FROM \"" + ratingsTable + "\" WHERE rating_id = 1").isEmpty())
                && pipeline.isAlive() && System.nanoTime() < deadline) {
            sleepQuietly(1_000);
        }
        if (!warmedUp) {
            return;
        }
        List<Rating> generated = Ratings.generate(random.nextLong(), FIRST_PHASE + SECOND_PHASE);
        for (int i = 0; i < FIRST_PHASE; i++) {
            time += 1_000 + random.nextInt(8_000);
            send(ratings, i == 0 ? poor(generated.get(i), downgraded, time) : rating(generated.get(i), random, time));
        }
        ratings.flush();
        database.update("UPDATE customers SET club_status = 'gold' WHERE id = ?", downgraded);
        database.update("UPDATE customers SET club_status = 'platinum' WHERE id = ?", upgraded);
        updateTime = awaitUpdates();
        time = Math.max(updateTime, System.currentTimeMillis()) + 1_000;
        for (int i = FIRST_PHASE; i < FIRST_PHASE + SECOND_PHASE; i++) {
            // Each changed customer rates poorly right after the UPDATE: one must be notified, the other not.
            send(ratings, i == FIRST_PHASE ? poor(generated.get(i), upgraded, time)
                    : i == FIRST_PHASE + 1 ? poor(generated.get(i), downgraded, time) : rating(generated.get(i), random, time));
            time += 1_000 + random.nextInt(4_000);
        }
        ratings.flush();
    }

    /**
     * Whether the pipeline has read the whole customers topic (its consumer group, the
     * application id, committed to its end): ratings sent before might find no customer, since
     * Kafka Streams takes the record with the smallest timestamp first and these ratings are older
     * than the snapshot's records.
     */
    private boolean tableLoaded() {
        int records = (int) bench.broker().records(customersTopic).stream().filter(r -> r.value() != null).count();
        if (records < Integer.parseInt(database.query("SELECT count(*) AS n FROM customers").get(0).get("n"))) {
            return false;
        }
        long committed = committedOffsets(bench, prefix + "_app").entrySet().stream()
                .filter(e -> e.getKey().topic().equals(customersTopic)).mapToLong(Map.Entry::getValue).sum();
        return committed >= bench.broker().records(customersTopic).size();
    }

    /** A generated rating, about a third of them from the two customers whose status changes. */
    private Rating rating(Rating generated, Random random, long time) {
        int user = switch (random.nextInt(6)) {
            case 0 -> downgraded;
            case 1 -> upgraded;
            default -> generated.userId();
        };
        return new Rating(generated.ratingId() + 1, user, generated.stars(), generated.routeId(), time, generated.channel(), generated.message());
    }

    private static Rating poor(Rating generated, int user, long time) {
        return new Rating(generated.ratingId() + 1, user, 1, generated.routeId(), time, generated.channel(), "worst. flight. ever. #neveragain");
    }

    private void send(AvroRatingsProducer ratings, Rating rating) {
        produced.add(rating);
        ratings.send(rating);
    }

    /** Waits until Debezium has sent both UPDATEs; reads the customers' history from the topic; returns the time of the last UPDATE. */
    private long awaitUpdates() {
        long deadline = System.nanoTime() + FLOW.toNanos();
        while (System.nanoTime() < deadline) {
            history.clear();
            long changedAt = 0;
            int changes = 0;
            for (ConsumerRecord<String, String> record : bench.broker().records(customersTopic)) {
                if (record.value() == null) {
                    continue;
                }
                JsonNode row = readTree(record.value());
                Customer customer = new Customer(row.path("id").asInt(), row.path("first_name").asText(null), row.path("last_name").asText(null),
                        row.path("email").asText(null), row.path("gender").asText(null), row.path("club_status").asText(null),
                        row.path("comments").asText(null), row.path("update_ts").asLong());
                boolean isUpdate = (customer.id() == downgraded && "gold".equals(customer.clubStatus()))
                        || (customer.id() == upgraded && "platinum".equals(customer.clubStatus()));
                if (isUpdate) {
                    changes++;
                    changedAt = Math.max(changedAt, record.timestamp());
                }
                // Rows of the snapshot are valid from the start of time; a change from its record's time.
                history.add(new Customers.Change(isUpdate ? record.timestamp() : 0, customer));
            }
            if (changes >= 2) {
                return changedAt;
            }
            sleepQuietly(1_000);
        }
        throw Expect.fail("Debezium did not send the grader's UPDATEs of the customers table to " + customersTopic,
                "two change events", "none within " + FLOW.toSeconds() + " s",
                "Keep customersSource() as given: Debezium captures public.customers to TOPIC_PREFIX.public.customers.");
    }

    /**
     * Waits until the webhook has every expected notification, or nothing more can come: the
     * webhook unchanged for STILL, or the notifier's group committed the whole unhappy topic (of an
     * application that read all its input) and posted nothing for longer than its backoff.
     */
    private void awaitNotifications(WebhookReceiver receiver, String unhappyTopic) {
        int expected = expectedNotifications().size();
        long start = System.nanoTime();
        long deadline = start + SETTLE.toNanos();
        // The notifier's retries wait for a timer, which a busy machine delays only a little (MachinePace.scaleTimer).
        Duration retried = MachinePace.scaleTimer(NOTIFIER_QUIET);
        while (System.nanoTime() < deadline) {
            // A second at a time, so that the broker is asked outside the receiver's lock.
            if (receiver.await(r -> r.accepted().size() >= expected, Duration.ofSeconds(1))) {
                return;
            }
            Duration quiet = receiver.quietFor();
            Duration quietHere = receiver.quietSince(start); // the last output may still be on its way to the notifier
            if (quiet.compareTo(STILL) > 0 || (quietHere.compareTo(retried) > 0
                    && applicationCaughtUp() && bench.broker().caughtUp(prefix + "_notifier", List.of(unhappyTopic)))) {
                return;
            }
        }
    }

    /** Whether the application has committed all it reads (ratings, customers, its repartition topics): its output is then written. */
    private boolean applicationCaughtUp() {
        String application = prefix + "_app";
        List<String> inputs = new ArrayList<>(List.of(ratingsTopic, customersTopic));
        try {
            bench.broker().admin().listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(application + "-") && name.endsWith("-repartition"))
                    .forEach(inputs::add);
        } catch (Exception e) {
            return false;
        }
        return bench.broker().caughtUp(application, inputs);
    }

    /**
     * Whether everything produced went all the way: the application committed all its input, and
     * each sink's consumer group (Connect's connect-NAME) committed its topic to the end, which
     * Connect does only once the rows are written. Then the sinks change no more.
     */
    private boolean flowedThrough() {
        return applicationCaughtUp()
                && bench.broker().caughtUp("connect-" + prefix + "-ratings-sink", List.of(prefix + "_enriched"))
                && bench.broker().caughtUp("connect-" + prefix + "-counts-sink", List.of(prefix + "_counts"));
    }

    /** Waits until the sink table holds every rating and the counts table equals the oracle, or time runs out. */
    private void awaitSinks(Pipeline pipeline) {
        List<WindowCount> counts = expectedCounts();
        long deadline = System.nanoTime() + FLOW.toNanos();
        String seen = "";
        long changed = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean done = flowedThrough(); // asked before reading: what it says is then in what is read
            readSinks();
            if (sinkRows.size() >= produced.size() && countsMatch(counts)) {
                return;
            }
            if (!pipeline.isAlive() || !warmedUp || done) {
                return;
            }
            // Nothing moves in the sinks for a while: what is missing will not come.
            String now = sinkRows.size() + " " + actualCounts();
            if (!now.equals(seen)) {
                seen = now;
                changed = System.nanoTime();
            } else if (System.nanoTime() - changed > STILL.toNanos()) {
                return;
            }
            sleepQuietly(1_000);
        }
    }

    private void readSinks() {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        for (Map<String, String> row : database.queryIfTableExists("SELECT * FROM \"" + ratingsTable + "\"")) {
            rows.put(Long.parseLong(row.get("rating_id")), row);
        }
        sinkRows = rows;
        countRows = database.queryIfTableExists("SELECT * FROM \"" + countsTable + "\" ORDER BY window_start, club_status");
    }

    private boolean countsMatch(List<WindowCount> expected) {
        return actualCounts().equals(expected.stream().map(PipelineGrader::describe).toList());
    }

    private List<String> actualCounts() {
        return countRows.stream().map(row -> row.get("club_status") + "@" + row.get("window_start") + "=" + row.get("count")).sorted().toList();
    }

    private static String describe(WindowCount count) {
        return count.key() + "@" + count.start() + "=" + count.count();
    }

    private List<EnrichedRating> expectedEnriched() {
        return RatingsJoin.withCustomers(produced, history);
    }

    private List<WindowCount> expectedCounts() {
        return Windowing.tumbling(expectedEnriched(), EnrichedRating::clubStatus, EnrichedRating::ratingTime, WINDOW_MS, GRACE_MS).all()
                .stream().sorted((a, b) -> describe(a).compareTo(describe(b))).toList();
    }

    private List<String> expectedNotifications() {
        return RatingsJoin.unhappyPlatinum(expectedEnriched()).stream().map(PipelineGrader::text).toList();
    }

    static String text(EnrichedRating rating) {
        return Notifications.text(new Rating(rating.ratingId(), rating.userId(), rating.stars(), rating.routeId(), rating.ratingTime(),
                rating.channel(), rating.message()), new Notifications.Customer(rating.userId(), rating.firstName(), rating.lastName(),
                rating.email(), rating.clubStatus()));
    }

    @AfterAll
    void cleanUp() {
        if (database == null) {
            return;
        }
        ConnectRest connect = new ConnectRest(bench.endpoints());
        for (String suffix : List.of("-customers-source", "-ratings-sink", "-counts-sink")) {
            connect.delete(prefix + suffix);
        }
        database.dropSlot((prefix + "_customers").toLowerCase().replaceAll("[^a-z0-9_]", "_"));
        database.dropPublication((prefix + "_customers").toLowerCase().replaceAll("[^a-z0-9_]", "_"));
        database.dropTable(ratingsTable);
        database.dropTable(countsTable);
        database.update("DELETE FROM customers WHERE id IN (?, ?)", downgraded, upgraded);
        database.close();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("a rating flows from the ratings topic through the join into the PostgreSQL sink")
    void flows() {
        Expect.isTrue(warmedUp, "The first rating never reached the table " + ratingsTable + " with its customer's data",
                "a row with rating_id 1 and club_status platinum within " + FLOW.toSeconds() + " s",
                sinkRows.isEmpty() ? "no row (pipeline: " + pipelineOutput + ")" : "rows, but not that one: " + sinkRows.values().iterator().next(),
                advice(Advice.NOTHING_FLOWS));
    }

    @Test
    @Order(2)
    @DisplayName("every rating reached the sink, enriched with the customer data valid at its time")
    void everyRatingEnriched() {
        Expect.isTrue(warmedUp, "No rating reached the sink", "the first check to pass", "it did not", "See the first check.");
        List<EnrichedRating> expected = expectedEnriched();
        List<Long> missing = new ArrayList<>();
        for (EnrichedRating rating : expected) {
            Map<String, String> row = sinkRows.get(rating.ratingId());
            if (row == null) {
                missing.add(rating.ratingId());
                continue;
            }
            boolean same = Objects.equals(row.get("club_status"), rating.clubStatus())
                    && Objects.equals(row.get("first_name"), rating.firstName())
                    && Objects.equals(row.get("email"), rating.email())
                    && Objects.equals(row.get("user_id"), String.valueOf(rating.userId()))
                    && Objects.equals(row.get("stars"), String.valueOf(rating.stars()));
            if (!same) {
                String hint = rating.clubStatus() != null && row.get("club_status") == null
                        ? "The rating found no customer: join on the customer id, i.e. key each rating by its user_id before the join."
                        : rating.ratingTime() > updateTime && rating.userId() == downgraded || rating.userId() == upgraded
                        ? "A rating after the UPDATE must carry the new club_status: a stream-table join looks the customer up as the table is then."
                        : "Copy every field of the rating and the customer's first_name, last_name, email and club_status.";
                throw Expect.fail("Rating " + rating.ratingId() + " reached the sink with the wrong customer data",
                        rating.toJson(), String.valueOf(row), hint);
            }
        }
        Expect.isTrue(missing.isEmpty(), "Some ratings never reached the table " + ratingsTable,
                expected.size() + " rows", sinkRows.size() + " rows; missing rating ids " + missing.subList(0, Math.min(10, missing.size())),
                missing.stream().allMatch(id -> expected.stream().anyMatch(r -> r.ratingId() == id && r.clubStatus() == null))
                        ? "The missing ratings are those of users without a customer (ids 21..25): the talk's join is a LEFT join, it keeps them."
                        : "Is the sink RUNNING? Its primary key is rating_id, its insert.mode upsert.");
    }

    @Test
    @Order(3)
    @DisplayName("the per-minute counts per club status in the sink equal the oracle's")
    void countsEqualOracle(TestReporter reporter) {
        Expect.isTrue(warmedUp, "No rating reached the sink", "the first check to pass", "it did not", "See the first check.");
        List<String> expected = expectedCounts().stream().map(PipelineGrader::describe).toList();
        reporter.publishEntry("windows", expected.size() + " windows of club statuses expected, " + countRows.size() + " rows in " + countsTable);
        List<String> actual = actualCounts();
        List<String> wrong = expected.stream().filter(e -> !actual.contains(e)).limit(5).toList();
        List<String> extra = actual.stream().filter(a -> !expected.contains(a)).limit(5).toList();
        Expect.isTrue(wrong.isEmpty() && extra.isEmpty(), "The table " + countsTable + " does not hold the expected count per club status per minute",
                "status@window_start=count, e.g. " + wrong, extra.isEmpty() ? "missing" : "e.g. " + extra,
                advice(Advice.WRONG_COUNTS));
    }

    @Test
    @Order(4)
    @DisplayName("every unhappy platinum customer's rating was posted to the webhook once, and nothing else")
    void notificationsOnce(TestReporter reporter) {
        List<String> expected = expectedNotifications();
        reporter.publishEntry("webhook", expected.size() + " notifications expected; the webhook refused the first " + refused
                + " posts and accepted " + notifications.size() + " (notifier: " + notifierFile + ")");
        Expect.isTrue(warmedUp, "No rating reached the sink", "the first check to pass", "it did not", "See the first check.");
        Expect.isTrue(!expected.isEmpty(), "The data set had no unhappy platinum customer (the grader's bad luck)", "some", "none", "Grade again.");
        List<String> missing = expected.stream().filter(t -> !notifications.contains(t)).toList();
        List<String> unexpected = notifications.stream().filter(t -> !expected.contains(t)).toList();
        Expect.isTrue(unexpected.isEmpty(), "The webhook received notifications that are not for an unhappy platinum customer",
                "only ratings with stars < 3 from customers platinum at the rating's time", unexpected.isEmpty() ? "" : unexpected.get(0),
                "Filter the joined ratings: stars < 3 AND club_status is platinum (as it was at the rating's time).");
        Expect.isTrue(missing.isEmpty(), "Notifications for unhappy platinum customers never arrived",
                expected.size() + " notifications", missing.size() + " missing, e.g. " + (missing.isEmpty() ? "" : missing.get(0))
                        + " (notifier: " + notifierOutput + ")",
                "Is " + notifierFile + " done (" + advice(Advice.NOTIFIER_EXERCISE) + ")? The pipeline writes them to UNHAPPY_TOPIC, the notifier posts them.");
        Map<String, Integer> counts = new LinkedHashMap<>();
        notifications.forEach(t -> counts.merge(t, 1, Integer::sum));
        List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        Expect.isTrue(twice.isEmpty(), "Some notifications arrived twice", "each once", twice.size() + ", e.g. " + (twice.isEmpty() ? "" : twice.get(0)),
                advice(Advice.NOTIFIED_TWICE));
    }

    @Test
    @Order(5)
    @DisplayName("after the UPDATE, notifications follow the customers' new club status")
    void notificationsFollowUpdate() {
        Expect.isTrue(warmedUp, "No rating reached the sink", "the first check to pass", "it did not", "See the first check.");
        long expectedForUpgraded = expectedNotifications().stream().filter(t -> t.contains("Grader" + upgraded)).count();
        long afterForDowngraded = notifications.stream().filter(t -> t.contains("Grader" + downgraded))
                .filter(t -> produced.stream().anyMatch(r -> r.ratingId() == Notifications.ratingId(t) && r.ratingTime() > updateTime)).count();
        Expect.isTrue(afterForDowngraded == 0, "A customer who became gold still got platinum notifications after the UPDATE",
                "none after the UPDATE", afterForDowngraded + "", advice(Advice.CUSTOMERS_AS_TABLE));
        long gotForUpgraded = notifications.stream().filter(t -> t.contains("Grader" + upgraded)).count();
        Expect.equal("A customer who became platinum did not get the notifications that followed the UPDATE",
                expectedForUpgraded, gotForUpgraded, advice(Advice.TABLE_FOLLOWS_CDC));
    }

    // ---------------------------------------------------------------------------------------

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            return JSON.nullNode();
        }
    }

    /** The last lines of a program's output, without the "at ..." lines of stack traces. */
    private static String tail(List<String> stdout, List<String> stderr) {
        List<String> all = new ArrayList<>(stdout);
        all.addAll(stderr);
        all.removeIf(line -> line.startsWith("\tat ") || line.startsWith("\t... "));
        return all.isEmpty() ? "(no output)" : String.join(" | ", all.subList(Math.max(0, all.size() - 5), all.size()));
    }

    private static void sleepQuietly(long millis) {
        NotifierGrader.sleep(millis);
    }

    /** What a failed check advises, in the words of the Kafka Streams track; the ksqlDB twin says it in SQL. */
    enum Advice { NOTHING_FLOWS, WRONG_COUNTS, NOTIFIER_EXERCISE, NOTIFIED_TWICE, CUSTOMERS_AS_TABLE, TABLE_FOLLOWS_CDC }

    String advice(Advice advice) {
        return switch (advice) {
            case NOTHING_FLOWS -> "Run ./jbang capstone2 and watch its output: every connector must be configured and the topology must reach RUNNING. "
                    + "Then GET /connectors?expand=status on Connect for a FAILED sink task.";
            case WRONG_COUNTS -> "Windows follow the ratings' own time: set DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG to an extractor that reads rating_time "
                    + "(not the wall clock), group by club_status, windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE)).count().";
            case NOTIFIER_EXERCISE -> "capstone1";
            case NOTIFIED_TWICE -> "See capstone1: commit each record after its delivery, retry from the failed record.";
            case CUSTOMERS_AS_TABLE -> "Join with the customers TABLE (builder.table), so a change replaces the row.";
            case TABLE_FOLLOWS_CDC -> "The table must follow the CDC topic: builder.table(CUSTOMERS_TOPIC, ...).";
        };
    }
}
