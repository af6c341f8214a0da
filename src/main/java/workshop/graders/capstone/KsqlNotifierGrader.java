package workshop.graders.capstone;

import workshop.grading.Broker;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.graders.ksqldb.KsqlGrading;
import workshop.graders.ksqldb.ScriptRun;
import workshop.stack.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grades capstone-sql1, the ksqlDB track's notifier: the same webhook, the same misbehaviour and
 * the same checks as capstone1 ({@link NotifierGrader}), but the notifier reads the stream
 * UNHAPPY_PLATINUM_CUSTOMERS with a push query of ksqldb-api-client instead of a consumer.
 *
 * <p>A push query has no consumer group and commits nothing: started with
 * {@code auto.offset.reset=earliest} it streams the whole stream again at every start. So the
 * notifier keeps its own position: the rating ids the webhook accepted, appended to
 * DELIVERED_FILE right after each 2xx, and skipped when the stream brings them again. What is
 * checked is what capstone1 checks: killed while retrying, nothing is lost; after a restart,
 * nothing delivered is posted again; a 503 in the middle is retried without posting twice.
 * As with a consumer that commits after the post, a kill between the 2xx and the write would
 * post that one notification again (at least once): the grader does not kill at that instant.
 */
@Grader("capstone-sql1")
class KsqlNotifierGrader extends NotifierGrader {

    /** The stream as the exercise and the talk name it. */
    static final String STREAM = "UNHAPPY_PLATINUM_CUSTOMERS";
    /** The stream over the grader's topic: the columns of the pipeline's enriched ratings. */
    static final String STREAM_SQL = """
            CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS (
                RATING_ID BIGINT, USER_ID INT, STARS INT, ROUTE_ID INT, RATING_TIME BIGINT, CHANNEL VARCHAR,
                MESSAGE VARCHAR, FIRST_NAME VARCHAR, LAST_NAME VARCHAR, EMAIL VARCHAR, CLUB_STATUS VARCHAR
            ) WITH (KAFKA_TOPIC = 'unhappy_platinum_customers', VALUE_FORMAT = 'JSON');
            """;

    private KsqlGrading grading;

    /** The same lessons for a push query: no group, no commit; the position is the notifier's DELIVERED_FILE. */
    @Override
    String advice(Advice advice) {
        return switch (advice) {
            case LOST_IN_CRASH -> "Append a rating id to DELIVERED_FILE only after the webhook answered 2xx, and retry the same row "
                    + "(with a backoff) until it does. Writing it before the post, or moving on to the next row, loses the notification.";
            case TWICE_AFTER_FAILURE -> "On a failure, post the same row again (while (!hook.post(...)) with a backoff), not the rows "
                    + "before it: they were delivered already.";
            case MISSING_AFTER_RESTART -> "Start the push query from the beginning (auto.offset.reset = earliest) and keep polling it: "
                    + "rows that were never delivered come again, and new ones as they happen.";
            case AGAIN_AFTER_RESTART -> "Read DELIVERED_FILE at start and skip the rows whose rating id is in it; append each id right "
                    + "after its 2xx (SYNC), not at the end: a killed notifier never gets to write at the end.";
            case LOST_WHILE_UNREACHABLE -> "A connection refused is a failed delivery like a 503: do not write the id down, retry the same "
                    + "row with a backoff.";
        };
    }

    @Override
    Broker broker(Workbench bench) {
        return ksql(bench).kafka();
    }

    private KsqlGrading ksql(Workbench bench) {
        if (grading == null) {
            grading = new KsqlGrading(bench, STREAM); // its stream goes when the grading ends
        }
        return grading;
    }

    @Override
    Map<String, String> environment(Workbench bench, String topic) {
        KsqlGrading ksql = ksql(bench);
        String learnerTopic = "unhappy_platinum_customers";
        // The stream reads the grader's topic (NotifierGrader made it on ksqlDB's Kafka).
        Path directory;
        try {
            directory = Files.createDirectories(bench.scratchFile("capstone-sql1")); // removed with the grading
            Path sql = directory.resolve("stream.sql");
            Files.writeString(sql, STREAM_SQL.replace("'" + learnerTopic + "'", "'" + topic + "'"));
            ScriptRun created = ksql.run(sql, 0);
            created.failure().ifPresent(failure -> {
                throw Expect.fail("ksqlDB refused the grader's stream over " + topic, "CREATE STREAM accepted",
                        failure.describe(), "Is the ksqlDB server at " + bench.endpoints().address(Service.KSQLDB) + " healthy?");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KSQLDB_URL", bench.endpoints().address(Service.KSQLDB));
        env.put("STREAM", ksql.prefixed(STREAM));
        env.put("DELIVERED_FILE", directory.resolve("delivered.txt").toString());
        return env;
    }

    /**
     * Waits (briefly) until the notifier has written down what the webhook accepted: its file
     * stops growing. A kill then finds nothing in flight.
     */
    @Override
    void settle(Workbench bench, Map<String, String> env, String topic) {
        Path file = Path.of(env.get("DELIVERED_FILE"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long size = file.toFile().length();
            if (size > 0 && size == last) {
                return;
            }
            last = size;
            sleep(1_000);
        }
    }
}
