package workshop;

import org.junit.jupiter.api.Test;
import workshop.graders.ksqldb.KsqlScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ksqlDB graders split a learner's .sql file as the CLI does, and rename only what they must. */
class KsqlScriptTest {

    @Test
    void splitsStatementsWithTheirLines(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("script.sql");
        Files.writeString(file, """
                -- a comment; with a semicolon
                SET 'auto.offset.reset' = 'earliest';

                CREATE STREAM RATINGS (MESSAGE VARCHAR) /* block;
                comment */ WITH (KAFKA_TOPIC = 'ratings;x', VALUE_FORMAT = 'JSON');
                SELECT * FROM RATINGS
                EMIT CHANGES;
                SELECT * FROM CUSTOMERS WHERE ID = 'it''s'
                """);
        List<KsqlScript.Statement> statements = KsqlScript.read(file).statements();
        assertEquals(4, statements.size());
        assertEquals(List.of(2, 4, 6, 8), statements.stream().map(KsqlScript.Statement::line).toList());
        assertTrue(statements.get(0).isSet());
        assertTrue(statements.get(1).text().contains("'ratings;x'"));
        assertFalse(statements.get(1).text().contains("block"));
        assertTrue(statements.get(2).isPushQuery());
        assertTrue(statements.get(3).isQuery() && !statements.get(3).isPushQuery());
    }

    @Test
    void renamesObjectsAndTopicsButNotColumnsOrOtherText() {
        KsqlScript.Statement statement = new KsqlScript.Statement(1, 1,
                "CREATE STREAM poor_ratings AS SELECT R.RATINGS_COUNT, 'RATINGS' AS T FROM Ratings R "
                        + "JOIN x WITH (KAFKA_TOPIC='ratings')");
        String renamed = statement.renamed(Map.of("RATINGS", "G1_RATINGS", "POOR_RATINGS", "G1_POOR_RATINGS"),
                Map.of("ratings", "ratings-1")).text();
        assertEquals("CREATE STREAM G1_POOR_RATINGS AS SELECT R.RATINGS_COUNT, 'RATINGS' AS T FROM G1_RATINGS R "
                + "JOIN x WITH (KAFKA_TOPIC='ratings-1')", renamed);
    }
}
