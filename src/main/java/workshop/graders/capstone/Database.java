package workshop.graders.capstone;

import workshop.stack.Endpoints;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workshop's PostgreSQL as the capstone's grader reads and changes it: the sink tables, the customers. */
public final class Database implements AutoCloseable {

    private final Connection connection;

    public Database(String jdbcUrl) {
        try {
            connection = DriverManager.getConnection(jdbcUrl, Endpoints.POSTGRES_USER, Endpoints.POSTGRES_PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** Rows as column name (lower case) to value as text, in the order of the query; empty when the table does not exist yet. */
    public List<Map<String, String>> rows(String sql, Object... parameters) {
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
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of(); // undefined table: the sink has not created it yet
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

    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(20);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    /** Drops a replication slot once nothing reads it (a deleted connector's task takes a moment to let go). */
    public void dropSlot(String slot) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Map<String, String>> found = rows("SELECT active FROM pg_replication_slots WHERE slot_name = ?", slot);
            if (found.isEmpty()) {
                return;
            }
            if (!"t".equals(found.get(0).get("active"))) {
                try {
                    rows("SELECT pg_drop_replication_slot(?)", slot);
                    return;
                } catch (IllegalStateException e) {
                    // became active again, or dropped meanwhile: look again
                }
            }
            NotifierGrader.sleep(300);
        }
        System.err.println("[grader] replication slot " + slot + " is still in use: left alone");
    }

    void dropTable(String table) {
        update("DROP TABLE IF EXISTS \"" + table.replace("\"", "") + "\"");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to do
        }
    }
}
