package workshop.graders.capstone;

import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.graders.ksqldb.KsqlGrading;
import workshop.graders.ksqldb.ScriptRun;
import workshop.stack.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grades capstone-sql2, the ksqlDB track's pipeline: the learner's .sql (streams and tables over
 * the Avro ratings and the CDC customers, the LEFT JOIN, the unhappy platinum customers, the
 * counts per club status per minute) with the same data set, UPDATEs, webhook and checks as
 * capstone2 ({@link PipelineGrader}); beside it runs the ksqlDB track's notifier
 * (PushNotifier.java, capstone-sql1).
 *
 * <p>The connectors are the grader's here (on the Streams track the learner's program makes
 * them): Debezium's source of public.customers, and two JDBC sinks that read the Avro topics
 * ksqlDB writes through the registry. ksqlDB must use the stack's Kafka, where Debezium writes.
 */
@Grader(value = "capstone-sql2", isolation = "customers table")
class KsqlPipelineGrader extends PipelineGrader {

    static final Duration SNAPSHOT = Duration.ofSeconds(90);
    /** The topics as the exercise names them, and the variables of the grader's names for them. */
    static final Map<String, String> TOPICS = Map.of(
            "ratings-live", "RATINGS_TOPIC",
            "ratings_with_customer_data", "ENRICHED_TOPIC",
            "unhappy_platinum_customers", "UNHAPPY_TOPIC",
            "ratings_by_club_status", "COUNTS_TOPIC");

    private KsqlGrading grading;

    /** The same lessons in ksqlDB's terms: statements, a SOURCE TABLE over the CDC topic, the push-query notifier. */
    @Override
    String advice(Advice advice) {
        return switch (advice) {
            case NOTHING_FLOWS -> "Run the file in the ksqlDB CLI and check each statement: SHOW QUERIES; must list the join RUNNING. "
                    + "Then GET /connectors?expand=status on Connect for a FAILED sink task (its topic is the join's KAFKA_TOPIC, Avro).";
            case WRONG_COUNTS -> "Windows follow the ratings' own time (TIMESTAMP = 'RATING_TIME' on RATINGS): WINDOW TUMBLING (SIZE 1 MINUTE, "
                    + "GRACE PERIOD 10 SECONDS), WHERE CLUB_STATUS IS NOT NULL GROUP BY CLUB_STATUS, with AS_VALUE(CLUB_STATUS), WINDOWSTART AS WINDOW_START and COUNT(*) AS `COUNT` in the value.";
            case NOTIFIER_EXERCISE -> "capstone-sql1";
            case NOTIFIED_TWICE -> "See capstone-sql1: write a rating id down after its 2xx, skip the ids written down, retry the same row.";
            case CUSTOMERS_AS_TABLE -> "Join with the customers as a TABLE (CREATE SOURCE TABLE CUSTOMERS (ID VARCHAR PRIMARY KEY, ...)), "
                    + "so a change replaces the row; a STREAM of customers keeps every old row.";
            case TABLE_FOLLOWS_CDC -> "The table must follow the CDC topic: CREATE SOURCE TABLE CUSTOMERS ... WITH (KAFKA_TOPIC = "
                    + "'pipeline.public.customers', VALUE_FORMAT = 'JSON'), and LEFT JOIN it ON CAST(R.USER_ID AS VARCHAR) = C.ID.";
        };
    }
    private Path work;

    @Override
    Pipeline startPipeline(Workbench bench, Map<String, String> env) {
        grading = new KsqlGrading(bench, "RATINGS", "CUSTOMERS", "RATINGS_WITH_CUSTOMER_DATA", "UNHAPPY_PLATINUM_CUSTOMERS",
                "RATINGS_BY_CLUB_STATUS");
        if (grading.kafka() != bench.broker()) {
            throw Expect.fail("ksqlDB at " + bench.endpoints().address(Service.KSQLDB) + " uses another Kafka cluster than the stack",
                    "ksqlDB on the stack's Kafka, where Debezium writes the customers",
                    "another cluster", "Grade the capstone on one stack: docker compose, or WORKSHOP_STACK=external with "
                            + "BOOTSTRAP_SERVERS, CONNECT_URL, POSTGRES_URL, SCHEMA_REGISTRY_URL and KSQLDB_URL of the same one.");
        }
        String customersTopic = env.get("TOPIC_PREFIX") + ".public.customers";
        String ratingsTopic = env.get("RATINGS_TOPIC");
        PipelineConnectors connectors = new PipelineConnectors(bench.endpoints(), env.get("CONNECTOR_PREFIX"))
                .reachedAt(env.get("DATABASE_HOST"), env.get("DATABASE_PORT"));
        connectors.put(connectors.customersSource(env.get("TOPIC_PREFIX")));
        // ksqlDB's column names are upper case: so are the record's fields (PostgreSQL folds them, unquoted).
        connectors.put(connectors.avroSink("-ratings-sink", env.get("ENRICHED_TOPIC"), env.get("RATINGS_TABLE"), "RATING_ID"));
        connectors.put(connectors.avroSink("-counts-sink", env.get("COUNTS_TOPIC"), env.get("COUNTS_TABLE"), "CLUB_STATUS,WINDOW_START"));
        registerRatingsSchema(bench, ratingsTopic);
        awaitTopic(bench, customersTopic);

        String sql;
        try {
            sql = Files.readString(bench.target());
            sql = sql.replace("'pipeline.public.customers'", "'" + customersTopic + "'");
            for (Map.Entry<String, String> topic : TOPICS.entrySet()) {
                sql = sql.replace("'" + topic.getKey() + "'", "'" + env.get(topic.getValue()) + "'");
            }
            work = Files.createDirectories(bench.scratchFile("capstone-sql2")); // removed with the grading
            Files.writeString(work.resolve(bench.target().getFileName()), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScriptRun run = grading.run(work.resolve(bench.target().getFileName()), 0);
        String failure = run.failure().map(ScriptRun.Failure::describe).orElse(null);
        return new Pipeline() {
            public boolean isAlive() {
                return failure == null;
            }

            public void kill() {
                // its queries, streams and tables go when the grading ends (KsqlGrading)
            }

            public String output() {
                return failure == null ? "ksqlDB accepted every statement" : failure;
            }
        };
    }

    /** The ksqlDB track's notifier, on the stream UNHAPPY_PLATINUM_CUSTOMERS of this grading. */
    @Override
    CompanionProgram startNotifier(Workbench bench, Map<String, String> env) {
        Map<String, String> pushEnv = new LinkedHashMap<>(env);
        pushEnv.put("KSQLDB_URL", bench.endpoints().address(Service.KSQLDB));
        pushEnv.put("STREAM", grading.prefixed("UNHAPPY_PLATINUM_CUSTOMERS"));
        pushEnv.put("DELIVERED_FILE", work.resolve("delivered.txt").toString());
        return CompanionProgram.start(CompanionProgram.besides(bench.target(), "PushNotifier.java"), pushEnv);
    }

    /** The join's query has read the customers: the offsets its consumer group committed. */
    @Override
    Map<org.apache.kafka.common.TopicPartition, Long> committedOffsets(Workbench bench, String group) {
        String join = grading.prefixed("RATINGS_WITH_CUSTOMER_DATA");
        Map<org.apache.kafka.common.TopicPartition, Long> committed = new LinkedHashMap<>();
        try {
            for (var listing : bench.broker().admin().listConsumerGroups().all().get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                if (listing.groupId().contains("query_CSAS_" + join + "_")) {
                    committed.putAll(bench.broker().committedOffsets(listing.groupId()));
                }
            }
        } catch (Exception e) {
            return Map.of();
        }
        if (committed.isEmpty()) {
            // Under a room's ACLs, a login without Describe on ksqlDB's query groups sees none: say so now, not after FLOW.
            grading.checkQueryGroupsVisible();
        }
        return committed;
    }

    /**
     * The ratings' Avro schema, registered before the .sql runs (as the talk's generator does):
     * CREATE STREAM RATINGS WITH (VALUE_FORMAT = 'AVRO') takes its columns from the registry.
     */
    private static void registerRatingsSchema(Workbench bench, String topic) {
        String url = bench.endpoints().address(Service.SCHEMA_REGISTRY) + "/subjects/" + topic + "-value/versions";
        String body = "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(AvroRatingsProducer.SCHEMA.toString()) + "}";
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(workshop.stack.HttpCredentials.authorize(HttpRequest.newBuilder(URI.create(url)),
                            bench.endpoints().userInfo(Service.SCHEMA_REGISTRY))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("The registry refused the ratings' schema: HTTP " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The registry does not answer at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Debezium creates the customers topic with its snapshot; ksqlDB needs it before CREATE SOURCE TABLE. */
    private static void awaitTopic(Workbench bench, String topic) {
        long deadline = System.nanoTime() + SNAPSHOT.toNanos();
        while (bench.broker().describe(topic).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw Expect.fail("Debezium did not create " + topic, "the customers' snapshot within " + SNAPSHOT.toSeconds() + " s",
                        "no topic", "GET /connectors?expand=status on Kafka Connect: is the customers source RUNNING?");
            }
            NotifierGrader.sleep(500);
        }
    }

}
