package workshop.grading;

import workshop.stack.Endpoints;
import workshop.stack.MachinePace;
import workshop.stack.Service;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The workshop's PostgreSQL as graders use it (Kafka Connect in module 7, the capstone): rows as
 * text, the customers, a customer of the grader's own to change, and the cleaning up that Debezium
 * needs (replication slots and publications do not go away with their connector).
 */
public final class Database implements AutoCloseable {

    /** The columns a captured or copied customer must carry, with the database's values. */
    public static final List<String> CUSTOMER_COLUMNS = List.of("first_name", "last_name", "gender", "club_status", "comments");
    /** The SQL state of "relation does not exist". */
    private static final String UNDEFINED_TABLE = "42P01";
    /** A safety net: the graders' statements take milliseconds. */
    private static final int QUERY_TIMEOUT_SECONDS = 20;

    private final Connection connection;

    public Database(String jdbcUrl) {
        try {
            connection = DriverManager.getConnection(jdbcUrl, Endpoints.POSTGRES_USER, Endpoints.POSTGRES_PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The stack's PostgreSQL. */
    public Database(Workbench bench) {
        this(requireAddress(bench.endpoints().address(Service.POSTGRES)));
    }

    private static String requireAddress(String url) {
        if (url == null) {
            throw new IllegalStateException("PostgreSQL is not running: add postgres to the module's services");
        }
        return url;
    }

    /** Rows as column name (lower case) to value as text (null stays null), in the order of the query. */
    public List<Map<String, String>> query(String sql, Object... parameters) {
        try {
            return rows(sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("The grader's query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #query}, but no rows when the table does not exist yet (a sink creates it on its first write). */
    public List<Map<String, String>> queryIfTableExists(String sql, Object... parameters) {
        try {
            return rows(sql, parameters);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return List.of();
            }
            throw new IllegalStateException("The grader's query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    public int update(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The grader's statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private List<Map<String, String>> rows(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(sql, parameters); ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData columns = rows.getMetaData();
            List<Map<String, String>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.put(columns.getColumnName(i).toLowerCase(), rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Every customer now, by id. */
    public Map<Integer, Map<String, String>> customers() {
        Map<Integer, Map<String, String>> byId = new TreeMap<>();
        for (Map<String, String> row : query("SELECT * FROM customers")) {
            byId.put(Integer.parseInt(row.get("id")), row);
        }
        return byId;
    }

    /** Whether a table of that name exists in the public schema. */
    public boolean tableExists(String table) {
        return !query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = ?", table).isEmpty();
    }

    /** The comments column of the customers graders insert (see {@link #insertCustomer}). */
    public static final String GRADERS_COMMENT = "Inserted by the workshop's grader";

    /**
     * Every customer now, by id, but the graders' own ({@link #insertCustomer}): other gradings
     * insert, change and delete theirs at the same time (the capstone's beside the Kafka Connect
     * exercises, and in a room every learner's), so what a grader compares with a copy of the table
     * leaves them out, on both sides (see {@link #insertedByAGrader}).
     */
    public Map<Integer, Map<String, String>> customersButGraders() {
        Map<Integer, Map<String, String>> byId = customers();
        byId.values().removeIf(row -> insertedByAGrader(row.get("comments")));
        return byId;
    }

    /** Whether a customer is one a grader inserted, by its comments column (as the table holds it, or as a copy or an event carries it). */
    public static boolean insertedByAGrader(String comments) {
        return GRADERS_COMMENT.equals(comments);
    }

    /**
     * A customer of the grader's own (id 100000 and up: the talk's customers are 1..20), inserted
     * now, as its row.
     */
    public Map<String, String> insertCustomer(String clubStatus) {
        for (int attempt = 0; ; attempt++) {
            int id = 100_000 + ThreadLocalRandom.current().nextInt(900_000);
            if (!query("SELECT 1 FROM customers WHERE id = ?", id).isEmpty() && attempt < 5) {
                continue;
            }
            update("INSERT INTO customers (id, first_name, last_name, email, gender, club_status, comments) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    id, "Grace", "Grader" + id, "grace.grader." + id + "@example.com", "Female", clubStatus, GRADERS_COMMENT);
            return query("SELECT * FROM customers WHERE id = ?", id).get(0);
        }
    }

    /**
     * Drops a replication slot once nothing reads it any more (a deleted connector's task takes a
     * moment to stop): a slot left behind keeps the database's write-ahead log forever. A slot
     * still in use after a few seconds belongs to someone else and is left alone.
     */
    public void dropSlot(String slot) {
        long deadline = System.nanoTime() + MachinePace.scale(Duration.ofSeconds(10)).toNanos();
        while (true) {
            List<Map<String, String>> found = query("SELECT active FROM pg_replication_slots WHERE slot_name = ?", slot);
            if (found.isEmpty()) {
                return;
            }
            if (!"t".equals(found.get(0).get("active"))) {
                try {
                    query("SELECT pg_drop_replication_slot(?)", slot);
                    return;
                } catch (IllegalStateException e) {
                    // Became active again in between, or was dropped: look again.
                }
            }
            if (System.nanoTime() > deadline) {
                System.err.println("[grader] replication slot " + slot + " is still in use: left alone");
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether a client reads through this replication slot now (a streaming Debezium connector does); false when there is no such slot. */
    public boolean slotActive(String slot) {
        List<Map<String, String>> found = query("SELECT active FROM pg_replication_slots WHERE slot_name = ?", slot);
        return !found.isEmpty() && "t".equals(found.get(0).get("active"));
    }

    public void dropPublication(String publication) {
        update("DROP PUBLICATION IF EXISTS \"" + publication.replace("\"", "") + "\"");
    }

    public void dropTable(String table) {
        update("DROP TABLE IF EXISTS \"" + table.replace("\"", "") + "\"");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing to do.
        }
    }
}
