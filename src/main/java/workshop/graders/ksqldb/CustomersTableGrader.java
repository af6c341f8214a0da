package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.Customer;
import workshop.oracle.Customers;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades ksqldb2: CUSTOMERS is a table keyed by the CDC topic's key, holding the latest row of each
 * customer after a history of club-status changes, and the file's pull query answers with
 * customer 2's current row.
 */
@Grader("ksqldb2")
class CustomersTableGrader {

    /** The customer the exercise's pull query asks for. */
    static final String ASKED = "2";

    private KsqlGrading grading;
    private Map<String, Customer> expected;
    private ScriptRun run;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "CUSTOMERS");
        long start = Ratings.FIRST_RATING_TIME;
        List<Customers.Change> history = Customers.history(ThreadLocalRandom.current().nextLong(), start, start + 600_000, 25, List.of());
        // The asked customer changes too, so that only the latest row answers the pull query.
        Customer asked = Inputs.latest(history).get(ASKED);
        String other = Customers.CLUB_STATUSES.stream().filter(s -> !s.equals(asked.clubStatus())).findFirst().orElseThrow();
        history = new java.util.ArrayList<>(history);
        history.add(new Customers.Change(start + 600_001, asked.withClubStatus(other, start + 600_001)));
        expected = Inputs.latest(history);
        Inputs.customers(grading, history);
        run = grading.run(bench.target(), 1);
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above: ksqlDB's message says what is missing. A table needs a PRIMARY KEY; "
                + "a pull query needs a table that ksqlDB keeps (CREATE SOURCE TABLE).");
    }

    @Test
    @Order(2)
    @DisplayName("CUSTOMERS is a table whose primary key is ID")
    void keyedTable() {
        JsonNode description = grading.describe("CUSTOMERS");
        Expect.isTrue(!description.isMissingNode(), "There is no table CUSTOMERS", "CREATE SOURCE TABLE CUSTOMERS (...)", "none",
                "Declare it with CREATE SOURCE TABLE CUSTOMERS (ID VARCHAR PRIMARY KEY, ...) WITH (...);");
        Expect.equal("CUSTOMERS is not a table", "TABLE", description.path("type").asText(),
                "Rows that replace each other (the customer as it is now) make a TABLE, not a STREAM.");
        String key = "";
        for (JsonNode field : description.path("fields")) {
            if ("PRIMARY_KEY".equals(field.path("type").asText()) || "KEY".equals(field.path("type").asText())) {
                key = field.path("name").asText() + " " + field.path("schema").path("type").asText();
            }
        }
        Expect.equal("CUSTOMERS is not keyed by the customer's id, as text", "ID STRING", key,
                "The record key of the CDC topic is the id written as text: ID VARCHAR PRIMARY KEY.");
    }

    @Test
    @Order(3)
    @DisplayName("the table holds each customer's latest row, and no other")
    void latestRows() throws KsqlDb.Refused {
        KsqlDb.Rows rows = grading.pull("SELECT ID, FIRST_NAME, CLUB_STATUS FROM CUSTOMERS");
        Map<String, String> expectedRows = new TreeMap<>();
        expected.forEach((id, c) -> expectedRows.put(id, c.firstName() + " " + c.clubStatus()));
        Map<String, String> actual = new TreeMap<>();
        rows.rows().forEach(row -> actual.put(rows.value(row, "ID").asText(),
                rows.value(row, "FIRST_NAME").asText() + " " + rows.value(row, "CLUB_STATUS").asText()));
        Expect.equal("The table does not hold each customer's latest row", expectedRows, actual,
                actual.isEmpty() ? "No row at all: is the key declared as ID VARCHAR (the key's bytes are the id as text)? "
                        + "An INT key in the default KAFKA key format expects 4 binary bytes and drops these records."
                        : "A table keeps the last row per key: every change of a customer replaces its row.");
    }

    @Test
    @Order(4)
    @DisplayName("the pull query answers with customer 2 as it is now")
    void pullQuery() {
        List<ScriptRun.QueryResult> pull = run.queries(false);
        Expect.isTrue(!pull.isEmpty(), "The file has no pull query", "SELECT ... FROM CUSTOMERS WHERE ID = '2';", "none",
                "A pull query has no EMIT CHANGES: it answers with the table as it is, then ends.");
        KsqlDb.Rows rows = pull.get(0).rows();
        Customer customer = expected.get(ASKED);
        String wanted = customer.firstName() + " " + customer.lastName() + " " + customer.clubStatus();
        List<String> answered = rows.rows().stream().map(row -> rows.hasColumn("FIRST_NAME") && rows.hasColumn("CLUB_STATUS")
                ? rows.value(row, "FIRST_NAME").asText() + " " + rows.value(row, "LAST_NAME").asText() + " " + rows.value(row, "CLUB_STATUS").asText()
                : String.valueOf(row)).toList();
        Expect.equal("The pull query does not answer with customer 2's current row", List.of(wanted), answered,
                "SELECT ID, FIRST_NAME, LAST_NAME, CLUB_STATUS FROM CUSTOMERS WHERE ID = '2'; (the key is text: quote it).");
    }
}
