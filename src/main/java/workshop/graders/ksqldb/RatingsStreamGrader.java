package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades ksqldb1: RATINGS declares every field of a rating with its type over the ratings topic,
 * with rating_time as event time, and the file's push query shows every rating.
 */
@Grader("ksqldb1")
class RatingsStreamGrader {

    static final Map<String, String> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("RATING_ID", "BIGINT");
        COLUMNS.put("USER_ID", "INTEGER");
        COLUMNS.put("STARS", "INTEGER");
        COLUMNS.put("ROUTE_ID", "INTEGER");
        COLUMNS.put("RATING_TIME", "BIGINT");
        COLUMNS.put("CHANNEL", "STRING");
        COLUMNS.put("MESSAGE", "STRING");
    }

    private KsqlGrading grading;
    private List<Rating> ratings;
    private ScriptRun run;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "RATINGS");
        ratings = Ratings.generate(ThreadLocalRandom.current().nextLong(), 12 + ThreadLocalRandom.current().nextInt(10));
        Inputs.ratings(grading, ratings);
        run = grading.run(bench.target(), ratings.size());
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above: ksqlDB's message says what it could not parse or find.");
    }

    @Test
    @Order(2)
    @DisplayName("RATINGS is a stream with every field of a rating, each with its type")
    void columns() {
        JsonNode description = grading.describe("RATINGS");
        Expect.isTrue(!description.isMissingNode(), "There is no stream RATINGS", "CREATE STREAM RATINGS (...)", "none",
                "Declare the stream with CREATE STREAM RATINGS (...) WITH (KAFKA_TOPIC = 'ratings', VALUE_FORMAT = 'JSON');");
        Expect.equal("RATINGS is not a stream", "STREAM", description.path("type").asText(),
                "A topic of events (each rating happened once, none replaces another) is a STREAM.");
        Map<String, String> declared = new LinkedHashMap<>();
        description.path("fields").forEach(f -> declared.put(f.path("name").asText(), f.path("schema").path("type").asText()));
        Expect.equal("RATINGS does not declare the fields of a rating with their types", COLUMNS, declared,
                "Name each field of the JSON value (any case) with its type: ids and times are BIGINT or INT as shown, text is VARCHAR.");
    }

    @Test
    @Order(3)
    @DisplayName("each rating's event time (ROWTIME) is its rating_time")
    void eventTime() throws KsqlDb.Refused {
        KsqlDb.Rows rows = grading.query("SELECT RATING_ID, ROWTIME FROM RATINGS EMIT CHANGES", ratings.size(), KsqlGrading.PUSH_QUERY_WAIT);
        Expect.equal("RATINGS does not give every rating", ratings.size() + " rows", rows.rows().size() + " rows",
                "The stream reads the topic 'ratings'; with SET 'auto.offset.reset' = 'earliest'; a query starts at its first record.");
        for (int i = 0; i < ratings.size(); i++) {
            long rowtime = rows.value(rows.rows().get(i), "ROWTIME").asLong();
            Expect.equal("The event time of rating " + ratings.get(i).ratingId() + " is not its rating_time",
                    ratings.get(i).ratingTime(), rowtime,
                    "Without TIMESTAMP = 'RATING_TIME' in WITH (...), ksqlDB takes the time the record was written to Kafka: "
                            + "windows and joins would then use when a rating was sent, not when it was made.");
        }
    }

    @Test
    @Order(4)
    @DisplayName("the push query shows user, stars, channel and message of every rating")
    void pushQuery() {
        List<ScriptRun.QueryResult> push = run.queries(true);
        Expect.isTrue(!push.isEmpty(), "The file has no push query", "SELECT ... FROM RATINGS EMIT CHANGES;", "none",
                "A push query ends with EMIT CHANGES: it shows the rows there are, then every new one.");
        KsqlDb.Rows rows = push.get(0).rows();
        for (String column : List.of("USER_ID", "STARS", "CHANNEL", "MESSAGE")) {
            Expect.isTrue(rows.hasColumn(column), "The push query does not show " + column, "a column " + column,
                    String.valueOf(rows.columns()), "SELECT USER_ID, STARS, CHANNEL, MESSAGE FROM RATINGS EMIT CHANGES;");
        }
        List<String> expected = new ArrayList<>();
        ratings.forEach(r -> expected.add(r.userId() + " " + r.stars() + " " + r.channel() + " " + r.message()));
        List<String> shown = new ArrayList<>();
        rows.rows().forEach(row -> shown.add(rows.value(row, "USER_ID").asText() + " " + rows.value(row, "STARS").asText() + " "
                + rows.value(row, "CHANNEL").asText() + " " + rows.value(row, "MESSAGE").asText()));
        Expect.equal("The push query does not show every rating of the topic", expected, shown,
                shown.isEmpty() ? "A query that starts at the end of the topic (auto.offset.reset = latest) only sees ratings that "
                        + "arrive later: SET 'auto.offset.reset' = 'earliest'; before the query."
                        : "Show every rating: no WHERE, no LIMIT.");
    }
}
