package workshop.graders.connect;

import workshop.grading.Database;

import workshop.stack.MachinePace;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
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
import workshop.stack.Service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Grades connect2: a file sink and a JDBC sink.
 *
 * <ol>
 * <li>Writes 10 to 29 ratings to a fresh topic, then runs the program with names of its own: the
 *     file sink copies the ratings to a file, the given Debezium source captures the customers
 *     with schemas, the JDBC sink copies them into a fresh table.</li>
 * <li>Waits until the table holds every customer, then inserts a customer of its own, changes its
 *     club status, and deletes it: the copy must follow each change, with no duplicate row.</li>
 * <li>The file sink is judged on the broker (its consumer group commits the offsets of what it
 *     wrote) and, when Connect writes files on this machine, by the file itself.</li>
 * <li>Always deletes the connectors, the source's replication slot and publication, the table,
 *     the file, the topics and the grader's customer.</li>
 * </ol>
 */
@Grader(isolation = "customers table")
class SinkConnectorsGrader {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(40);
    static final Duration COPY_WITHIN = Duration.ofSeconds(20);
    static final Duration CHANGE_WITHIN = Duration.ofSeconds(15);
    /** A sink that ignores deletes shows nothing: the grader waits this long for the row to go. */
    static final Duration DELETE_WITHIN = Duration.ofSeconds(8);

    private final Cleanup cleanup = new Cleanup();
    private ConnectWorker connect;
    private Database database;
    private final Map<String, String> connectors = new LinkedHashMap<>();
    private String fileSink;
    private String source;
    private String tableSink;
    private String table;
    private String ratingsTopic;
    private Path file;
    private boolean connectWritesHere;
    private List<String> ratings = List.of();
    private Map<Integer, Map<String, String>> customers = Map.of();
    private ProgramRun run;

    private final Map<String, Optional<ConnectWorker.Status>> statuses = new LinkedHashMap<>();
    private Map<TopicPartition, Long> fileSinkCommitted = Map.of();
    private List<String> fileLines;
    private List<Map<String, String>> copied = List.of();

    /** The grader's customer, and what the copy showed after each change. */
    private Map<String, String> inserted;
    private boolean changesTried;
    private List<Map<String, String>> afterInsert = List.of();
    private List<Map<String, String>> afterUpdate = List.of();
    private List<Map<String, String>> afterDelete = List.of();
    private boolean deleteTried;
    private String updatedStatus;

    @BeforeAll
    void runExercise(Workbench bench) {
        connect = new ConnectWorker(bench);
        database = new Database(bench);
        fileSink = bench.name("ratings-to-file");
        source = bench.name("customers-with-schemas");
        tableSink = bench.name("customers-to-table");
        table = bench.name("customers_copy").replace('-', '_').replace('.', '_'); // no dot: PostgreSQL would read alice.x as schema alice (room mode)
        ratingsTopic = bench.name("ratings");
        String prefix = bench.name("copy");
        file = Path.of(System.getProperty("os.name").toLowerCase().contains("win") ? System.getProperty("java.io.tmpdir") : "/tmp",
                bench.name("ratings") + ".jsonl");
        connectors.put(fileSink, "file sink");
        connectors.put(source, "Debezium source");
        connectors.put(tableSink, "JDBC sink");

        cleanup.topics(bench, List.of(ratingsTopic, prefix + ".public.customers"));
        cleanup.add("delete " + file, () -> deleteFile(file));
        cleanup.add("drop table " + table, () -> database.dropTable(table));
        cleanup.sinkConnector(connect, bench, fileSink);
        cleanup.debeziumConnector(connect, database, source);
        cleanup.sinkConnector(connect, bench, tableSink); // first: it stops writing into the table before it is dropped

        ThreadLocalRandom random = ThreadLocalRandom.current();
        bench.broker().createTopic(ratingsTopic, 1);
        ratings = Ratings.generate(random.nextLong(), 10 + random.nextInt(20)).stream().map(Rating::toJson).toList();
        bench.broker().produce(ratings.stream().map(r -> new ProducerRecord<String, String>(ratingsTopic, null, r)).toList());
        customers = database.customersButGraders(); // other gradings change theirs meanwhile: left out, as in the copy

        String postgres = bench.endpoints().address(Service.POSTGRES);
        ConnectWorker.DatabaseAddress address = connect.databaseAddress(postgres);
        // Connect reaches the database at localhost as the grader does: it runs on this machine, and so does its file.
        connectWritesHere = address.jdbcUrl().equals(postgres) && List.of("localhost", "127.0.0.1").contains(address.host());
        Map<String, String> env = new HashMap<>(address.environment());
        env.put("RATINGS_TOPIC", ratingsTopic);
        env.put("FILE", file.toString());
        env.put("FILE_SINK_NAME", fileSink);
        env.put("SOURCE_NAME", source);
        env.put("TOPIC_PREFIX", prefix);
        env.put("TABLE", table);
        env.put("TABLE_SINK_NAME", tableSink);
        env.put("WAIT_SECONDS", "15");
        run = bench.program().run(env, RUN_TIMEOUT);

        // The copy fills up within seconds of the snapshot; the file sink meanwhile.
        awaitOrFailure(COPY_WITHIN, () -> copyButGraders().size() >= customers.size() && fileSinkDone(bench), tableSink);
        copied = copyButGraders();
        fileSinkCommitted = committed(bench, fileSink);
        fileLines = readFile();

        if (copied.size() >= customers.size() && connect.status(tableSink).map(ConnectWorker.Status::running).orElse(false)) {
            changesTried = true;
            inserted = database.insertCustomer("gold");
            String id = inserted.get("id");
            cleanup.add("delete the grader's customer " + id, () -> database.update("DELETE FROM customers WHERE id = ?", Integer.parseInt(id)));
            awaitOrFailure(CHANGE_WITHIN, () -> !copyOf(id).isEmpty(), tableSink);
            afterInsert = copyOf(id);
            updatedStatus = "bronze";
            database.update("UPDATE customers SET club_status = ? WHERE id = ?", updatedStatus, Integer.parseInt(id));
            awaitOrFailure(CHANGE_WITHIN, () -> copyOf(id).stream().anyMatch(r -> updatedStatus.equals(r.get("club_status"))), tableSink);
            afterUpdate = copyOf(id);
            if (afterUpdate.size() == 1 && updatedStatus.equals(afterUpdate.get(0).get("club_status"))) {
                database.update("DELETE FROM customers WHERE id = ?", Integer.parseInt(id));
                String customersTopic = prefix + ".public.customers";
                awaitOrFailure(DELETE_WITHIN, () -> {
                    boolean settled = deleteSettled(bench, customersTopic, id); // asked first: the copy read next holds what it says
                    return copyOf(id).isEmpty() || settled;
                }, tableSink);
                afterDelete = copyOf(id);
                deleteTried = true;
            }
        }
        connectors.keySet().forEach(name -> statuses.put(name, connect.status(name)));
    }

    @AfterAll
    void cleanUp() {
        cleanup.run();
        if (database != null) {
            database.close();
        }
    }

    /** Waits for the condition, or until the connector fails or the time is up. */
    private void awaitOrFailure(Duration within, BooleanSupplier done, String connector) {
        long deadline = System.nanoTime() + MachinePace.scale(within).toNanos();
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            Optional<ConnectWorker.Status> status = connect.status(connector);
            if (status.isEmpty() || status.get().failed()) {
                ConnectWorker.sleep(500); // the other condition may still come true, but do not wait long
                return;
            }
            ConnectWorker.sleep(300);
        }
    }

    private List<Map<String, String>> copy() {
        return database.tableExists(table) ? database.query("SELECT * FROM \"" + table + "\"") : List.of();
    }

    /** The copy without the customers that graders insert (this one's own comes later, and is looked for by its id). */
    private List<Map<String, String>> copyButGraders() {
        return copy().stream().filter(row -> !Database.insertedByAGrader(row.get("comments"))).toList();
    }

    private List<Map<String, String>> copyOf(String id) {
        return copy().stream().filter(r -> id.equals(r.get("id"))).toList();
    }

    /**
     * Debezium wrote the DELETE's tombstone and the JDBC sink's group (connect-NAME) committed past
     * it, which Connect does once the sink has written: the copy will change no more.
     */
    private boolean deleteSettled(Workbench bench, String topic, String id) {
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*" + id + "\\b");
        boolean tombstone = bench.broker().records(topic).stream()
                .anyMatch(r -> r.value() == null && r.key() != null && key.matcher(r.key()).find());
        return tombstone && bench.broker().caughtUp("connect-" + tableSink, List.of(topic));
    }

    /** The file sink's consumer group (connect-NAME) has committed every rating: it wrote them all. */
    private boolean fileSinkDone(Workbench bench) {
        return committed(bench, fileSink).getOrDefault(new TopicPartition(ratingsTopic, 0), 0L) >= ratings.size();
    }

    private static Map<TopicPartition, Long> committed(Workbench bench, String sink) {
        try {
            return bench.broker().committedOffsets("connect-" + sink);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** The file's lines, or null when Connect writes files elsewhere (in a container) and it is not here. */
    private List<String> readFile() {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteFile(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("the program creates the three connectors and ends by itself")
    void runs() {
        run.expectSuccess("The program waits at most WAIT_SECONDS for each connector to run, then stops: keep awaitRunning() as it is.");
    }

    @Test
    @Order(2)
    @DisplayName("every connector and task is RUNNING")
    void running() {
        for (var entry : statuses.entrySet()) {
            String name = entry.getKey();
            String kind = connectors.get(name);
            if (entry.getValue().isEmpty()) {
                throw Expect.fail("Kafka Connect has no " + kind + " named " + name, "connector " + name + " RUNNING", "no such connector",
                        "Write its configuration method: the program skips a connector whose configuration is empty.");
            }
            ConnectWorker.Status status = entry.getValue().get();
            Expect.isTrue(status.running(), "The " + kind + " " + name + " is not running", "connector RUNNING, task 0 RUNNING",
                    status.describe() + (status.cause().isEmpty() ? "" : "\n            because: " + status.cause()), failureHint(status));
        }
    }

    @Test
    @Order(3)
    @DisplayName("the file sink copies every rating to the file, as it is")
    void fileHoldsEveryRating() {
        long committed = fileSinkCommitted.getOrDefault(new TopicPartition(ratingsTopic, 0), 0L);
        if (committed < ratings.size()) {
            Optional<ConnectWorker.Status> status = statuses.get(fileSink);
            throw Expect.fail("The file sink did not write every rating of " + ratingsTopic,
                    ratings.size() + " ratings written (committed offset " + ratings.size() + ")",
                    "committed offset " + committed + status.map(s -> ", " + s.describe() + (s.cause().isEmpty() ? "" : ": " + s.cause())).orElse(", no connector"),
                    status.isEmpty() ? "Write fileSinkConfig(): connector.class org.apache.kafka.connect.file.FileStreamSinkConnector, topics, file."
                            : "A sink connector reads the topics its \"topics\" setting lists, from the beginning: topics is RATINGS_TOPIC, file is FILE.");
        }
        if (fileLines == null) {
            // In a container, Connect writes its own file system: the committed offsets are all the grader can see.
            Expect.isTrue(!connectWritesHere, "The file sink wrote no file " + file, "the file " + file + " with " + ratings.size() + " lines",
                    "no such file", "Write to the file that FILE names: \"file\": FILE.");
            return;
        }
        if (!fileLines.equals(ratings)) {
            String first = fileLines.isEmpty() ? "(empty file)" : fileLines.get(0);
            throw Expect.fail("The file " + file + " does not hold the ratings as they are in the topic", ratings.get(0) + " ... ("
                            + ratings.size() + " lines)", first + " ... (" + fileLines.size() + " lines)",
                    first.startsWith("{rating_id=") || first.startsWith("Struct{")
                            ? "The worker's JSON converter turned each rating into a map, and the file sink wrote the map. Copy the bytes "
                            + "as they are: \"value.converter\": \"org.apache.kafka.connect.storage.StringConverter\"."
                            : "Give the file sink the topic RATINGS_TOPIC and the file FILE, and read the values as strings (StringConverter).");
        }
    }

    @Test
    @Order(4)
    @DisplayName("the table holds every customer, with the database's values")
    void tableHoldsEveryCustomer() {
        Set<Integer> expected = new TreeSet<>(customers.keySet());
        Set<Integer> ids = new TreeSet<>();
        copied.forEach(row -> ids.add(Integer.parseInt(row.get("id"))));
        if (copied.size() != customers.size() || !ids.equals(expected)) {
            Optional<ConnectWorker.Status> status = statuses.get(tableSink);
            String hint;
            if (status.isEmpty()) {
                hint = "Write tableSinkConfig(): connector.class io.debezium.connector.jdbc.JdbcSinkConnector, the topic, the database.";
            } else if (status.get().failed()) {
                hint = failureHint(status.get());
            } else if (!database.tableExists(table)) {
                hint = "The sink wrote no table " + table + ". Name it with collection.name.format (TABLE), and let the sink create it "
                        + "from the records' schema: schema.evolution basic.";
            } else {
                hint = "The sink reads TOPIC_PREFIX.public.customers (topics) and writes one row per customer.";
            }
            throw Expect.fail("The table " + table + " does not hold one row per customer",
                    customers.size() + " rows, ids " + expected, copied.size() + " rows, ids " + ids
                            + status.filter(ConnectWorker.Status::failed).map(s -> "\n            " + s.describe() + ": " + s.cause()).orElse(""), hint);
        }
        for (Map<String, String> row : copied) {
            Map<String, String> original = customers.get(Integer.parseInt(row.get("id")));
            for (String column : Database.CUSTOMER_COLUMNS) {
                Expect.equal("Customer " + row.get("id") + "'s " + column + " in " + table + " is not the database's", original.get(column),
                        row.get(column), "Copy the rows as they are: no transforms that change the values.");
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("an INSERT and an UPDATE upstream change the copy, without duplicates")
    void changesAreCopied() {
        expectChangesTried();
        String id = inserted.get("id");
        Expect.isTrue(afterInsert.size() == 1, "The customer the grader inserted did not reach " + table,
                "1 row with id " + id, afterInsert.size() + " rows" + failure(), "Keep the sink running: it writes every new event.");
        if (afterUpdate.size() != 1 || !updatedStatus.equals(afterUpdate.get(0).get("club_status"))) {
            String seen = afterUpdate.size() + " rows with id " + id + ", club_status " + afterUpdate.stream().map(r -> r.get("club_status")).toList();
            String traces = statuses.get(tableSink).map(ConnectWorker.Status::traces).orElse("");
            String hint = afterUpdate.size() > 1
                    ? "Every event became a new row. Give the table a primary key, the record's key (primary.key.mode record_key), and "
                    + "write with insert.mode upsert: an event for an id that exists updates its row."
                    : traces.contains("duplicate key")
                    ? "insert.mode insert writes each event as a new row, and the table's primary key refuses a second row for the same id. "
                    + "Use insert.mode upsert: insert the row, or update it if its id is there already."
                    : "Write with insert.mode upsert and primary.key.mode record_key, so that an UPDATE replaces the customer's row.";
            throw Expect.fail("The UPDATE of customer " + id + " did not update its copy", "1 row with id " + id + ", club_status " + updatedStatus,
                    seen + failure(), hint);
        }
    }

    @Test
    @Order(6)
    @DisplayName("a DELETE upstream removes the copied row")
    void deletesAreCopied() {
        expectChangesTried();
        if (!deleteTried) {
            throw Expect.fail("The grader did not delete its customer: the copy did not follow the UPDATE",
                    "an up-to-date copy of customer " + inserted.get("id"), afterUpdate.size() + " rows" + failure(), "Fix the check above first.");
        }
        Expect.isTrue(afterDelete.isEmpty(), "The DELETE of customer " + inserted.get("id") + " did not remove its copy",
                "no row with id " + inserted.get("id"), afterDelete.size() + " rows" + failure(),
                "A sink ignores deletes unless told: delete.enabled true (it needs primary.key.mode record_key). "
                        + "Debezium follows each DELETE event with a tombstone, a record with the key and no value.");
    }

    private void expectChangesTried() {
        if (!changesTried) {
            throw Expect.fail("The grader could not change the database and watch the copy: it never held every customer",
                    "a RUNNING JDBC sink and a full copy", copied.size() + " rows in " + table + ", "
                            + statuses.get(tableSink).map(ConnectWorker.Status::describe).orElse("no JDBC sink"), "Fix the checks above first.");
        }
    }

    private String failure() {
        return statuses.get(tableSink).filter(ConnectWorker.Status::failed).map(s -> "; the JDBC sink: " + s.describe() + ": " + s.cause()).orElse("");
    }

    /** What to do about a connector that is not running, judged from why it failed. */
    static String failureHint(ConnectWorker.Status status) {
        String traces = status.traces();
        if (traces.contains("null schema") || traces.contains("requires schema") || traces.contains("without a schema")) {
            return "The sink read records without a schema. Their JSON carries one, but the worker's converter ignores it: set "
                    + "\"key.converter\" and \"value.converter\" to org.apache.kafka.connect.json.JsonConverter in the connector's "
                    + "config, with key.converter.schemas.enable and value.converter.schemas.enable true (those count only with the converter set).";
        }
        if (traces.contains("Could not find table")) {
            return "The table does not exist, and the sink does not create it unless told: schema.evolution basic.";
        }
        if (traces.contains("Error configuring an instance of JdbcSinkConnectorConfig")) {
            return "The JDBC sink refused settings that do not fit together (Connect's log says which). An upsert, and deletes, need "
                    + "a primary key: primary.key.mode record_key, the customer id of each record's key.";
        }
        if (traces.contains("no key fields")) {
            return "An upsert needs a primary key: primary.key.mode record_key takes it from the record's key, the customer id.";
        }
        if (traces.contains("duplicate key")) {
            return "insert.mode insert writes each event as a new row; the second event of a customer breaks the primary key. Use upsert.";
        }
        if (traces.contains("NoSuchFile") || traces.contains("FileNotFound") || traces.contains("Couldn't find or create file")) {
            return "The file sink cannot create its file: its folder must exist where Connect runs. Use the path FILE.";
        }
        return "Read the cause above. Fix the configuration and run the program again: a PUT updates the connector.";
    }
}
