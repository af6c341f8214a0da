package workshop.graders.connect;

import workshop.grading.Database;

import workshop.stack.MachinePace;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;
import workshop.stack.Service;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Grades connect1: a Debezium source connector of the customers table, with single message
 * transforms.
 *
 * <ol>
 * <li>Reads the customers as they are, then runs the program with a connector name and topic
 *     prefix of its own. Debezium's snapshot writes one event per row within a few seconds.</li>
 * <li>Inserts a customer of its own and changes its club status: both must arrive as new events
 *     (Debezium reads them from the log about a second after the commit).</li>
 * <li>Looks at every event: the row's new state (not Debezium's envelope), keyed by the id alone,
 *     the email masked; and at the connector's status.</li>
 * <li>Always deletes the connector, its replication slot and publication, its topic and the
 *     grader's customer.</li>
 * </ol>
 */
@Grader(isolation = "customers table")
class CaptureCustomersGrader {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(40);
    static final Duration SNAPSHOT_WITHIN = Duration.ofSeconds(20);
    static final Duration CHANGE_WITHIN = Duration.ofSeconds(10);
    /** A streaming connector reads its replication slot within this of its snapshot (stretched on a busy machine). */
    static final Duration SLOT_ACTIVE_WITHIN = Duration.ofSeconds(3);
    static final Set<String> ENVELOPE = Set.of("before", "after", "op", "source");

    /** An event on the topic, as the grader reads it. */
    record Event(String key, JsonNode value, String rawValue) {
        /** The row the event carries: the value itself, or the "after" of a change envelope. */
        JsonNode row() {
            return isEnvelope() ? value.path("after") : value;
        }

        boolean isEnvelope() {
            return value.isObject() && value.has("after") && value.has("op");
        }

        /** The customer id, from the row (or -1). */
        int id() {
            return row().path("id").asInt(-1);
        }

        /** The customer id, from the key: 7, "7" or {"id":7} (or -1). */
        int keyId() {
            try {
                JsonNode json = key == null ? ConnectWorker.JSON.nullNode() : ConnectWorker.JSON.readTree(key);
                JsonNode id = json.isObject() ? json.path("id") : json;
                return id.isNumber() || id.isTextual() ? Integer.parseInt(id.asText()) : -1;
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }

        boolean isTombstone() {
            return rawValue == null;
        }
    }

    private final Cleanup cleanup = new Cleanup();
    private ConnectWorker connect;
    private Database database;
    private String connector;
    private String topic;
    private Map<Integer, Map<String, String>> customers = Map.of();
    private ProgramRun run;
    private List<Event> snapshot = List.of();
    private Optional<ConnectWorker.Status> status = Optional.empty();

    /** The grader's customer: its id and what was seen of its INSERT and UPDATE. */
    private Map<String, String> inserted;
    private boolean changesTried;
    private Event insertEvent;
    private Event updateEvent;
    private String updatedStatus;
    private boolean deleteTried;
    private Event tombstone;
    /** When no tombstone came: the events of the grader's customer, to tell what came instead. */
    private List<Event> deleteEvents = List.of();

    @BeforeAll
    void runExercise(Workbench bench) {
        connect = new ConnectWorker(bench);
        database = new Database(bench);
        connector = bench.name("customers");
        String prefix = bench.name("workshop");
        topic = prefix + ".public.customers";
        cleanup.topics(bench, List.of(topic));
        cleanup.debeziumConnector(connect, database, connector);

        customers = database.customersButGraders();
        Map<String, String> env = new HashMap<>(connect.databaseAddress(bench.endpoints().address(Service.POSTGRES)).environment());
        env.put("CONNECTOR_NAME", connector);
        env.put("TOPIC_PREFIX", prefix);
        env.put("WAIT_SECONDS", "15");
        run = bench.program().run(env, RUN_TIMEOUT);

        // The snapshot: one event per customer, within seconds of the connector's start.
        // Other gradings (the capstone's; in a room, other learners') insert and delete customers of their own
        // meanwhile: left out here as in the customers read above.
        snapshot = await(bench, SNAPSHOT_WITHIN, events -> butGraders(events).size() >= customers.size()).stream()
                .filter(e -> !insertedByAGrader(e)).toList();
        status = connect.status(connector);
        if (status.isEmpty() || !status.get().running() || snapshot.isEmpty()) {
            return; // nothing streams: the checks say why
        }

        // Live changes: an INSERT, then an UPDATE of the same customer.
        changesTried = true;
        inserted = database.insertCustomer("silver");
        int id = Integer.parseInt(inserted.get("id"));
        cleanup.add("delete the grader's customer " + id, () -> database.update("DELETE FROM customers WHERE id = ?", id));
        insertEvent = awaitEvent(bench, e -> e.id() == id);
        if (insertEvent == null) {
            return; // it does not stream: no use waiting for the UPDATE
        }
        updatedStatus = "platinum";
        database.update("UPDATE customers SET club_status = ? WHERE id = ?", updatedStatus, id);
        updateEvent = awaitEvent(bench, e -> e.id() == id && updatedStatus.equals(e.row().path("club_status").asText()));
        if (updateEvent != null) {
            database.update("DELETE FROM customers WHERE id = ?", id);
            deleteTried = true;
            // The JSON text null, instead of a tombstone, will not turn into one: no use waiting longer.
            tombstone = awaitEvent(bench, e -> e.keyId() == id && e.value().isNull());
            if (tombstone != null && !tombstone.isTombstone()) {
                tombstone = null;
            }
            if (tombstone == null) {
                deleteEvents = read(bench).stream().skip(snapshot.size()).filter(e -> e.keyId() == id || e.id() == id).toList();
            }
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

    /** Reads the topic until the events satisfy the condition, or the time is up; returns what it last read. */
    private List<Event> await(Workbench bench, Duration within, Predicate<List<Event>> done) {
        return await(bench, within, done, false);
    }

    /**
     * @param streaming the connector is past its snapshot and should stream: when nothing reads
     *                  its replication slot, twice in a row after a few seconds, no change will come
     *                  (snapshot.mode=initial_only, say), so the wait ends there instead of at its deadline
     */
    private List<Event> await(Workbench bench, Duration within, Predicate<List<Event>> done, boolean streaming) {
        long start = System.nanoTime();
        long deadline = start + MachinePace.scale(within).toNanos();
        long slotGrace = MachinePace.scale(SLOT_ACTIVE_WITHIN).toNanos();
        String slot = streaming ? connect.config(connector).map(c -> c.path("slot.name").asText("debezium")).orElse(null) : null;
        List<Event> events = List.of();
        int missing = 0;
        int slotIdle = 0;
        while (System.nanoTime() < deadline) {
            events = read(bench);
            if (done.test(events)) {
                break;
            }
            Optional<ConnectWorker.Status> now = connect.status(connector);
            if (now.isPresent() && now.get().failed() || now.isEmpty() && ++missing > 6) {
                break; // it will not get better: no such connector, or it failed
            }
            if (slot != null && System.nanoTime() - start > slotGrace) {
                slotIdle = database.slotActive(slot) ? 0 : slotIdle + 1;
                if (slotIdle >= 2) {
                    break; // it does not read the database's log: nothing more will come
                }
            }
            ConnectWorker.sleep(500);
        }
        return events;
    }

    private static boolean insertedByAGrader(Event event) {
        return Database.insertedByAGrader(event.row().path("comments").asText());
    }

    private static List<Event> butGraders(List<Event> events) {
        return events.stream().filter(e -> !insertedByAGrader(e)).toList();
    }

    private Event awaitEvent(Workbench bench, Predicate<Event> wanted) {
        List<Event> events = await(bench, CHANGE_WITHIN, all -> all.stream().skip(snapshot.size()).anyMatch(wanted), true);
        return events.stream().skip(snapshot.size()).filter(wanted).findFirst().orElse(null);
    }

    private List<Event> read(Workbench bench) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : bench.broker().records(topic)) {
            JsonNode value;
            try {
                value = record.value() == null ? ConnectWorker.JSON.nullNode() : ConnectWorker.JSON.readTree(record.value());
            } catch (IOException e) {
                value = ConnectWorker.JSON.nullNode();
            }
            events.add(new Event(record.key(), value, record.value()));
        }
        return events;
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("the program creates the connector and ends by itself")
    void runs() {
        run.expectSuccess("The program waits at most WAIT_SECONDS for the connector to run, then stops: keep awaitRunning() as it is.");
    }

    @Test
    @Order(2)
    @DisplayName("the connector and its task are RUNNING")
    void running() {
        if (status.isEmpty()) {
            throw Expect.fail("Kafka Connect has no connector named " + connector,
                    "connector " + connector + " RUNNING", "no such connector",
                    "Create it with a PUT of the configuration to /connectors/" + connector + "/config, the name that CONNECTOR_NAME holds; "
                            + "the program's output shows what Connect answered.");
        }
        ConnectWorker.Status now = status.get();
        Expect.isTrue(now.running(), "The connector " + connector + " is not running",
                "connector RUNNING, task 0 RUNNING", now.describe() + (now.cause().isEmpty() ? "" : "\n            because: " + now.cause()),
                failureHint(now));
    }

    @Test
    @Order(3)
    @DisplayName("the topic holds one event per customer")
    void oneEventPerCustomer() {
        List<Event> events = snapshot.stream().limit(Math.max(customers.size(), 1)).toList();
        Set<Integer> ids = new TreeSet<>();
        events.forEach(e -> ids.add(e.id()));
        if (events.size() == customers.size() && ids.equals(customers.keySet())) {
            return;
        }
        String hint = events.isEmpty() ? nothingArrivedHint()
                : ids.contains(-1) ? "Some events carry no customer id. Capture the table public.customers (table.include.list) and keep each row whole."
                : "Debezium's snapshot writes each row of public.customers once when the connector starts. Capture that table only.";
        throw Expect.fail("The topic " + topic + " does not hold one event per customer",
                customers.size() + " events, customers " + customers.keySet(), events.size() + " events, customers " + ids, hint);
    }

    @Test
    @Order(4)
    @DisplayName("each value is the row's new state, not a change envelope")
    void valuesAreRows() {
        expectEvents();
        for (Event event : snapshot) {
            if (event.isEnvelope() || ENVELOPE.stream().anyMatch(event.value()::has)) {
                throw Expect.fail("The events are Debezium's change envelopes, not rows",
                        "the row's columns at the top: {\"id\":1,\"first_name\":...}", shorten(event.rawValue()),
                        "Add the single message transform io.debezium.transforms.ExtractNewRecordState (\"unwrap\"): it keeps the "
                                + "\"after\" part of each change, the row's new state.");
            }
            Map<String, String> row = customers.get(event.id());
            if (row == null) {
                throw Expect.fail("An event carries no known customer", "a row of public.customers", shorten(event.rawValue()),
                        "Keep each row whole: the value must hold the row's columns, id included.");
            }
            for (String column : Database.CUSTOMER_COLUMNS) {
                Expect.equal("Customer " + event.id() + "'s " + column + " is not the database's", row.get(column),
                        event.value().path(column).isNull() ? null : event.value().path(column).asText(null),
                        "Mask only the email: every other column keeps its value.");
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("each event is keyed by the customer id")
    void keyedById() {
        expectEvents();
        for (Event event : snapshot) {
            String key = event.key() == null ? null : event.key().strip();
            String id = String.valueOf(event.id());
            if (id.equals(key) || ("\"" + id + "\"").equals(key)) {
                continue;
            }
            String hint = key == null ? "The events have no key. Debezium keys each event with the table's primary key, unless a transform drops it."
                    : key.startsWith("{") ? "The key is Debezium's key struct, " + key + ". Extract its id field with "
                    + "org.apache.kafka.connect.transforms.ExtractField$Key (field id)."
                    : "Key each event with the id column: ExtractField$Key with field id.";
            throw Expect.fail("Customer " + id + "'s event is not keyed by the id alone", id, String.valueOf(event.key()), hint);
        }
    }

    @Test
    @Order(6)
    @DisplayName("the email address is masked")
    void emailMasked() {
        expectEvents();
        for (Event event : snapshot) {
            Map<String, String> row = customers.get(event.id());
            JsonNode email = event.row().path("email");
            if (email.isMissingNode()) {
                throw Expect.fail("The events have no email field", "\"email\":\"****\" (masked)", shorten(event.rawValue()),
                        "Mask the field rather than drop it: org.apache.kafka.connect.transforms.MaskField$Value (fields email, "
                                + "replacement ****) keeps the column and hides its content.");
            }
            String clear = row == null ? null : row.get("email");
            if (clear != null && email.asText().contains(clear)) {
                throw Expect.fail("Customer " + event.id() + "'s email address reaches Kafka in clear", "a masked email, e.g. ****",
                                email.asText(), "Add org.apache.kafka.connect.transforms.MaskField$Value with fields email and a replacement, "
                                + "and list it in transforms after the unwrap: transforms run in order, and before the unwrap the email "
                                + "is inside \"after\", out of the mask's reach.");
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("an INSERT and an UPDATE in the database arrive as new events")
    void changesArrive() {
        if (!changesTried) {
            throw Expect.fail("The grader could not change the database and watch: the connector does not stream",
                    "a RUNNING connector and a snapshot of the customers", status.map(ConnectWorker.Status::describe).orElse("no connector")
                            + ", " + snapshot.size() + " events", "Fix the checks above first.");
        }
        String id = inserted.get("id");
        Expect.isTrue(insertEvent != null, "The INSERT of customer " + id + " did not arrive within " + CHANGE_WITHIN.toSeconds() + " s",
                "an event for customer " + id, "none" + status.filter(ConnectWorker.Status::failed).map(s -> ", and " + s.describe() + ": " + s.cause()).orElse(""),
                "After its snapshot, Debezium streams every change from the log. Leave snapshot.mode at its default (initial).");
        Expect.isTrue(updateEvent != null, "The UPDATE of customer " + id + " did not arrive within " + CHANGE_WITHIN.toSeconds() + " s",
                "an event for customer " + id + " with club_status " + updatedStatus, "none",
                "Every UPDATE is a new event with the row's new state: keep the connector streaming.");
    }

    @Test
    @Order(8)
    @DisplayName("a DELETE arrives as a tombstone, and the connector keeps running")
    void deleteArrives() {
        if (!deleteTried) {
            throw Expect.fail("The grader did not delete its customer: the INSERT and UPDATE did not arrive",
                    "a connector that streams changes", insertEvent == null ? "no INSERT event" : "no UPDATE event", "Fix the check above first.");
        }
        String id = inserted.get("id");
        String traces = status.map(ConnectWorker.Status::traces).orElse("");
        boolean jsonNull = deleteEvents.stream().anyMatch(e -> e.value().isNull() && !e.isTombstone());
        String hint = traces.contains("Only Struct objects supported")
                ? "A transform met a record without a value and failed. Let the mask skip tombstones: "
                + "\"transforms.mask.predicate\": \"isTombstone\" with \"transforms.mask.negate\": \"true\"."
                : jsonNull
                ? "The DELETE arrived as the JSON text null, a value, not a tombstone (no value at all). Make the unwrap turn deletes "
                + "into tombstones: \"transforms.unwrap.delete.tombstone.handling.mode\": \"delete-to-tombstone\"."
                : "After a DELETE, the unwrap writes a tombstone, the key and no value, with delete.tombstone.handling.mode "
                + "delete-to-tombstone; let the mask skip it with the isTombstone predicate.";
        Expect.isTrue(tombstone != null, "The DELETE of customer " + id + " did not arrive as a tombstone",
                "a record with key " + id + " and no value", (jsonNull ? "a record with key " + id + " and the value null (JSON text)" : "none")
                        + status.filter(ConnectWorker.Status::failed).map(s -> ", and " + s.describe() + ": " + s.cause()).orElse(""), hint);
        ConnectWorker.Status now = status.orElseThrow();
        Expect.isTrue(now.running(), "The connector stopped running after the DELETE", "connector RUNNING, task 0 RUNNING",
                now.describe() + (now.cause().isEmpty() ? "" : ": " + now.cause()), hint);
    }

    // ---------------------------------------------------------------------------------------

    private void expectEvents() {
        if (snapshot.isEmpty()) {
            throw Expect.fail("No event reached the topic " + topic, "one event per customer", "none", nothingArrivedHint());
        }
    }

    private String nothingArrivedHint() {
        if (status.isEmpty()) {
            return "There is no connector " + connector + ": PUT its configuration to /connectors/" + connector + "/config.";
        }
        if (status.get().failed()) {
            return "The connector failed: " + status.get().cause() + ". " + failureHint(status.get());
        }
        return "Write the events to the topic <TOPIC_PREFIX>.public.customers: topic.prefix is TOPIC_PREFIX, table.include.list public.customers.";
    }

    /** What to do about a connector that is not running, judged from why it failed. */
    static String failureHint(ConnectWorker.Status status) {
        String traces = status.traces();
        if (traces.contains("Unknown field") || traces.contains("not a valid field name")) {
            return "A transform names a field that the record does not have. Debezium's key is a struct with the field id; after "
                    + "unwrap, the value has the table's columns (before it, only before, after, source and op). Transforms run in the "
                    + "order of the transforms list.";
        }
        if (traces.contains("ublication")) {
            return "Debezium reads the table's changes through a publication. Let it create one for the captured table: "
                    + "publication.autocreate.mode filtered.";
        }
        if (traces.contains("slot") && traces.contains("active")) {
            return "Another connector reads through the same replication slot: each connector needs a slot.name of its own.";
        }
        if (traces.contains("does not exist") || traces.contains("password") || traces.contains("Connection")) {
            return "Debezium cannot read the database: database.hostname, port, dbname, user and password come from the environment "
                    + "(DATABASE_HOST, DATABASE_PORT, POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD).";
        }
        if (status.tasks().isEmpty() && !status.failed()) {
            return "The connector has no task yet: it starts one a moment after it is created. Wait until the task is RUNNING.";
        }
        return "Read the cause above. Fix the configuration and PUT it again: Connect restarts the connector with it.";
    }

    static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
