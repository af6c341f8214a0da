package workshop.graders.connect;

import workshop.grading.Database;

import workshop.stack.MachinePace;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades connect3: restarting a failed task.
 *
 * <ol>
 * <li>Writes 10 to 29 ratings, with their schema, to a fresh topic, and creates a JDBC sink that
 *     copies them into a table that does not exist yet (and that it must not create): its task
 *     FAILS on the first record.</li>
 * <li>Then creates the table, as a DBA would: the cause is gone, but a failed task never
 *     restarts by itself.</li>
 * <li>Runs the program: it must report the failed task with its cause and restart it; the task
 *     must run again and the ratings reach the table, each once.</li>
 * <li>Always deletes the connector, the table and the topic.</li>
 * </ol>
 */
// It touches no customer, but the learner's program restarts every failed task of the worker:
// it runs alone among the graders that create connectors (the same lane).
@Grader(isolation = "customers table")
class RestartFailedTasksGrader {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration FAILS_WITHIN = Duration.ofSeconds(20);
    static final Duration FLOWS_WITHIN = Duration.ofSeconds(10);

    private final Cleanup cleanup = new Cleanup();
    private ConnectWorker connect;
    private Database database;
    private String connector;
    private String table;
    private List<Rating> ratings = List.of();
    private String failedBecause;
    private ProgramRun run;
    private Optional<ConnectWorker.Status> status = Optional.empty();
    private Set<Long> copied = Set.of();

    @BeforeAll
    void runExercise(Workbench bench) {
        connect = new ConnectWorker(bench);
        database = new Database(bench);
        String topic = bench.name("rated-flights");
        connector = bench.name("ratings-to-table");
        table = bench.name("ratings").replace('-', '_').replace('.', '_'); // no dot: PostgreSQL would read alice.x as schema alice (room mode)
        cleanup.topics(bench, List.of(topic));
        cleanup.add("drop table " + table, () -> database.dropTable(table));
        cleanup.sinkConnector(connect, bench, connector);

        ThreadLocalRandom random = ThreadLocalRandom.current();
        ratings = Ratings.generate(random.nextLong(), 10 + random.nextInt(20));
        bench.broker().createTopic(topic, 1);
        bench.broker().produce(ratings.stream().map(r -> new ProducerRecord<String, String>(topic, null, withSchema(r))).toList());

        // A sink into a table that is not there: its task fails on the first record.
        ConnectWorker.DatabaseAddress address = connect.databaseAddress(bench.endpoints().address(Service.POSTGRES));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        config.put("topics", topic);
        config.put("connection.url", address.jdbcUrl());
        config.put("connection.username", workshop.stack.Endpoints.POSTGRES_USER);
        config.put("connection.password", workshop.stack.Endpoints.POSTGRES_PASSWORD);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("collection.name.format", table);
        config.put("schema.evolution", "none");
        config.put("insert.mode", "insert");
        config.put("primary.key.mode", "record_value");
        config.put("primary.key.fields", "rating_id");
        connect.put(connector, config);
        failedBecause = connect.awaitFailure(connector, FAILS_WITHIN).map(ConnectWorker.Status::cause)
                .orElseThrow(() -> new IllegalStateException("The grader's sink " + connector + " did not fail as planned: "
                        + connect.status(connector).map(ConnectWorker.Status::describe).orElse("no such connector")));

        // The DBA creates the table: the cause is gone, the task stays FAILED until someone restarts it.
        database.update("CREATE TABLE \"" + table + "\" (rating_id BIGINT PRIMARY KEY, user_id INTEGER, stars INTEGER, route_id INTEGER, "
                + "rating_time BIGINT, channel VARCHAR(20), message VARCHAR(200))");

        run = bench.program().run(Map.of("WAIT_SECONDS", "6"), RUN_TIMEOUT);

        long deadline = System.nanoTime() + MachinePace.scale(FLOWS_WITHIN).toNanos();
        while (System.nanoTime() < deadline) {
            status = connect.status(connector);
            copied = copied();
            if (copied.size() >= ratings.size() || status.isEmpty() || status.get().failed()) {
                break;
            }
            ConnectWorker.sleep(300);
        }
        status = connect.status(connector);
    }

    @AfterAll
    void cleanUp() {
        cleanup.run();
        if (database != null) {
            database.close();
        }
    }

    /** A rating as JSON with its schema, as JsonConverter with schemas.enable=true reads it. */
    static String withSchema(Rating rating) {
        ObjectNode record = ConnectWorker.JSON.createObjectNode();
        ObjectNode schema = record.putObject("schema").put("type", "struct").put("name", "rating").put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        for (String[] field : new String[][] {{"rating_id", "int64"}, {"user_id", "int32"}, {"stars", "int32"}, {"route_id", "int32"},
                {"rating_time", "int64"}, {"channel", "string"}, {"message", "string"}}) {
            fields.addObject().put("field", field[0]).put("type", field[1]).put("optional", !field[0].equals("rating_id"));
        }
        try {
            record.set("payload", ConnectWorker.JSON.readTree(rating.toJson()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return record.toString();
    }

    private Set<Long> copied() {
        Set<Long> ids = new TreeSet<>();
        database.query("SELECT rating_id FROM \"" + table + "\"").forEach(row -> ids.add(Long.parseLong(row.get("rating_id"))));
        return ids;
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("the program ends by itself")
    void runs() {
        if (run.timedOut() || run.exitCode() != 0 && run.stdout().stream().noneMatch(l -> l.contains("(still not running)"))) {
            run.expectSuccess("Wait for the restarted connectors at most WAIT_SECONDS: keep awaitRunning() as it is.");
        }
    }

    @Test
    @Order(2)
    @DisplayName("the program reports the failed task and why it failed")
    void reportsTheFailure() {
        String expected = connector + "\ttask 0\tFAILED\t" + failedBecause;
        boolean reported = run.stdout().stream().anyMatch(l -> l.startsWith(connector + "\ttask 0\tFAILED\t") && l.contains("Could not find table"));
        Expect.isTrue(reported, "The program did not report the failed task of " + connector, expected,
                String.join("\n", run.stdout().stream().filter(l -> l.startsWith(connector)).toList()),
                run.stdout().stream().anyMatch(l -> l.startsWith(connector + "\tconnector RUNNING"))
                        ? "The connector is RUNNING, but its task FAILED: a connector's state says nothing of its tasks. Look at each task "
                        + "of status.tasks and print the failed ones with printFailure(name, task)."
                        : "List the connectors with their status (GET /connectors?expand=status) and print each failed task with printFailure.");
    }

    @Test
    @Order(3)
    @DisplayName("the failed task is RUNNING again")
    void runningAgain() {
        ConnectWorker.Status now = status.orElseThrow(() -> Expect.fail("The connector " + connector + " is gone", "connector " + connector
                + " RUNNING", "no such connector", "Restart failed connectors and tasks; never delete them."));
        String hint = now.state().equals("RUNNING") && now.failed()
                ? "The connector runs, but its task is still FAILED. POST /connectors/<name>/restart restarts the connector alone; "
                + "add ?includeTasks=true&onlyFailed=true to restart its failed tasks too (or POST /connectors/<name>/tasks/<id>/restart)."
                : "Restart the failed tasks with POST /connectors/<name>/restart?includeTasks=true&onlyFailed=true.";
        Expect.isTrue(now.running(), "The task of " + connector + " was not restarted", "connector RUNNING, task 0 RUNNING",
                now.describe() + (now.cause().isEmpty() ? "" : ": " + now.cause()), hint);
    }

    @Test
    @Order(4)
    @DisplayName("the ratings then reach the table, each once")
    void ratingsFlow() {
        Set<Long> expected = new TreeSet<>();
        ratings.forEach(r -> expected.add(r.ratingId()));
        Expect.isTrue(copied.equals(expected), "The table " + table + " does not hold every rating",
                expected.size() + " ratings", copied.size() + " ratings" + status.filter(ConnectWorker.Status::failed)
                        .map(s -> " (" + s.describe() + ")").orElse(""),
                "Once the task runs again, it carries on from the last offset it committed: every rating arrives. Restart the task.");
    }
}
