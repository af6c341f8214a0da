package workshop.graders.ksqldb;

import workshop.grading.Expect;

import java.util.List;
import java.util.Optional;

/**
 * What happened to a learner's .sql file: the statements ksqlDB accepted, the rows of its queries,
 * and the first statement it refused (the run stops there, as a careful learner would).
 */
public record ScriptRun(List<KsqlScript.Statement> accepted, List<QueryResult> queries, Optional<Failure> failure) {

    /** A refused statement and ksqlDB's own message; no statement when the file could not be read. */
    public record Failure(KsqlScript.Statement statement, String message) {
        public String describe() {
            return statement == null ? message
                    : "statement " + statement.number() + " (line " + statement.line() + ": " + statement.summary() + ") was refused: " + message;
        }
    }

    /** The rows a query of the file returned (a push query: those that arrived before the grader stopped it). */
    public record QueryResult(KsqlScript.Statement statement, KsqlDb.Rows rows) {
    }

    /** Fails the check when ksqlDB refused a statement, naming it, its line and ksqlDB's message. */
    public void expectAccepted(String hint) {
        failure.ifPresent(f -> {
            throw Expect.fail("ksqlDB refused a statement of your file: " + f.describe(),
                    "every statement accepted", accepted.size() + " accepted, then the error", hint);
        });
    }

    /** The queries of the file: push queries (EMIT CHANGES / EMIT FINAL) or pull queries. */
    public List<QueryResult> queries(boolean push) {
        return queries.stream().filter(q -> q.statement().isPushQuery() == push).toList();
    }

    /** Did the file create this stream or table (a statement CREATE ... name)? */
    public boolean created(String objectName) {
        return accepted.stream().anyMatch(s -> s.text().replaceAll("\\s+", " ").toUpperCase()
                .matches("(?s)CREATE (OR REPLACE )?(SOURCE )?(STREAM|TABLE) (IF NOT EXISTS )?" + objectName.toUpperCase() + "\\b.*"));
    }
}
