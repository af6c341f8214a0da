package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import workshop.WorkshopException;
import workshop.grading.Broker;
import workshop.grading.Workbench;
import workshop.room.Learner;
import workshop.stack.MachinePace;
import workshop.stack.Service;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One grading on a ksqlDB server: the learner's statements, run one at a time and in order, under
 * names of this grading's own, and everything they create removed afterwards.
 *
 * <p>A learner writes {@code CREATE STREAM RATINGS ... KAFKA_TOPIC='ratings'}; the grading runs
 * {@code CREATE STREAM G4F2A9C_RATINGS ... KAFKA_TOPIC='ratings-4f2a9c'}: every stream, table and
 * topic the exercise names gets this grading's prefix, so that gradings run side by side on one
 * server and never see each other's rows. Results are read back without the prefix. In room mode
 * (WORKSHOP_LEARNER=alice) the names start with the learner's: {@code ALICE_G4F2A9C_RATINGS},
 * topics {@code alice.ratings-4f2a9c} and {@code alice.ALICE_G4F2A9C_POOR_RATINGS}, and ksqlDB's
 * query ids (CSAS_ALICE_G4F2A9C_POOR_RATINGS_7) with them.
 */
public final class KsqlGrading implements AutoCloseable {

    /** How long a persistent query may take to process its input on a loaded laptop. */
    public static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** How long a push query of the learner's may stream before the grader stops it. */
    public static final Duration PUSH_QUERY_WAIT = Duration.ofSeconds(20);

    /**
     * The grading's input is all there before a query starts, but a join reads one of its inputs
     * through a repartition topic that fills only as it goes: Kafka Streams then waits (up to
     * this long) for it rather than run ahead on the other input, so that both are processed in
     * event-time order, as in a live pipeline. A learner's SET overrides it.
     */
    static final Map<String, Object> GRADING_PROPERTIES = Map.of("max.task.idle.ms", "5000");

    private final Workbench bench;
    private final KsqlDb ksql;
    /**
     * Room mode: the topics ksqlDB creates for the learner's streams and tables start with the
     * learner's prefix (alice.), as every other topic of theirs ({@code ksql.output.topic.name.prefix},
     * a setting of each statement). Outside room mode, none.
     */
    private static final String OUTPUT_TOPIC_PREFIX = "ksql.output.topic.name.prefix";

    /** G4F2A9C_, or in room mode ALICE_G4F2A9C_: the learner's SQL prefix, then this grading's own. */
    private final String prefix = Learner.sqlPrefix()
            + "G" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6).toUpperCase(Locale.ROOT) + "_";
    private final Map<String, String> objects = new LinkedHashMap<>();
    private final Map<String, String> topics = new LinkedHashMap<>();
    private Broker kafka;
    /** This login may describe ksqlDB's query groups (checked once, see {@link #checkGroupsVisible}). */
    private boolean groupsVisible;

    /**
     * @param objectNames the streams and tables the exercise and its grader name, e.g. RATINGS,
     *                    CUSTOMERS, POOR_RATINGS: each gets this grading's prefix
     */
    public KsqlGrading(Workbench bench, String... objectNames) {
        this.bench = bench;
        String url = bench.endpoints().address(Service.KSQLDB);
        if (url == null) {
            throw new IllegalStateException("No ksqlDB server in this stack");
        }
        this.ksql = new KsqlDb(url, bench.endpoints().userInfo(Service.KSQLDB));
        bench.onClose(this::close); // its queries, streams and tables go when the grading ends
        for (String name : objectNames) {
            objects.put(name.toUpperCase(Locale.ROOT), prefix + name.toUpperCase(Locale.ROOT));
        }
    }

    /** The topic that the learner calls {@code learnerName} (e.g. ratings), under this grading's name. */
    public String topic(String learnerName) {
        return topics.computeIfAbsent(learnerName, bench::name);
    }

    /**
     * The Kafka cluster that ksqlDB reads and writes. Usually the stack's; when ksqlDB runs
     * elsewhere (KSQLDB_URL of a server with a broker of its own), the one it names.
     */
    public synchronized Broker kafka() {
        if (kafka == null) {
            kafka = bench.broker();
            try {
                String ksqlCluster = ksql.info().path("KsqlServerInfo").path("kafkaClusterId").asText("");
                String stackCluster = kafka.admin().describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                if (!ksqlCluster.isEmpty() && !ksqlCluster.equals(stackCluster)) {
                    kafka = new Broker(ksqlBootstrapServers());
                }
            } catch (Exception e) {
                throw new IllegalStateException("Cannot tell which Kafka cluster ksqlDB at " + ksql.url() + " uses: " + e.getMessage(), e);
            }
        }
        return kafka;
    }

    private String ksqlBootstrapServers() throws Exception {
        JsonNode properties = ksql.execute("SHOW PROPERTIES;", Map.of()).path(0).path("properties");
        for (JsonNode property : properties) {
            String name = property.path("name").asText();
            if (name.equals("ksql.streams.bootstrap.servers") || name.equals("bootstrap.servers")) {
                return property.path("value").asText();
            }
        }
        throw new IllegalStateException("ksqlDB does not show its bootstrap.servers");
    }

    /**
     * Creates the input topic (one partition: one stream time, as the oracles assume; kept
     * forever, see {@link #keepNewTopicsForever}) and writes the records.
     */
    public void produce(String learnerTopic, Collection<ProducerRecord<String, String>> records) {
        String topic = topic(learnerTopic);
        if (kafka().describe(topic).isEmpty()) {
            kafka().createTopic(topic, 1, (short) 1, Broker.KEEP_PAST_RECORDS); // the records carry past times
        }
        kafka().produce(records);
    }


    /** The topics ksqlDB made for this grading's streams and tables, altered to keep their records. */
    private final Set<String> keptForever = new HashSet<>();

    /** The cluster's topics now; empty when the broker does not say (nothing is altered then). */
    private Set<String> topicNames() throws InterruptedException {
        try {
            return kafka().admin().listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Set.of();
        }
    }

    /**
     * After a CREATE statement: the topics it made for this grading's streams and tables keep
     * their records. The gradings' records carry the data set's event times (January 2026), and
     * ksqlDB writes its rows with the event time of their input (the stream's TIMESTAMP column):
     * a topic with a finite retention (a room's cluster with the default 7 days, or a windowed
     * table's RETENTION) loses them at the broker's next retention check (every 5 minutes), in
     * the middle of a grading. Most sinks inherit the input topics' retention.ms=-1
     * ({@link Broker#KEEP_PAST_RECORDS}); these are altered. Only topics that did not exist
     * before: one that did (an input topic, or a topic a sink connector subscribed to first)
     * keeps its settings, which ksqlDB compares with what a later statement's sink inherits from
     * its source.
     */
    private void keepNewTopicsForever(Set<String> existedBefore) throws IOException, InterruptedException {
        if (existedBefore.isEmpty()) {
            return;
        }
        List<String> newTopics = new ArrayList<>();
        for (String kind : List.of("STREAMS", "TABLES")) {
            try {
                for (JsonNode source : ksql.execute("SHOW " + kind + ";", Map.of()).path(0).path(kind.toLowerCase(Locale.ROOT))) {
                    String topic = source.path("topic").asText("");
                    if (source.path("name").asText().startsWith(prefix) && !topic.isEmpty()
                            && !existedBefore.contains(topic) && keptForever.add(topic)) {
                        newTopics.add(topic);
                    }
                }
            } catch (KsqlDb.Refused e) {
                return; // SHOW is always accepted; nothing to keep when it is not
            }
        }
        for (String topic : newTopics) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            List<AlterConfigOp> keep = Broker.KEEP_PAST_RECORDS.entrySet().stream()
                    .map(setting -> new AlterConfigOp(new ConfigEntry(setting.getKey(), setting.getValue()), AlterConfigOp.OpType.SET)).toList();
            try {
                kafka().admin().incrementalAlterConfigs(Map.of(resource, keep)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // best effort: its records then live as long as the broker's default says
            }
        }
    }

    /** A record for the input topic the learner calls {@code learnerTopic}. */
    public ProducerRecord<String, String> record(String learnerTopic, Long timestamp, String key, String value) {
        return new ProducerRecord<>(topic(learnerTopic), null, timestamp, key, value);
    }

    /** Runs the learner's file, statement by statement; stops at the first statement ksqlDB refuses. */
    public ScriptRun run(java.nio.file.Path file, int pushQueryRows) {
        KsqlScript script;
        try {
            script = KsqlScript.read(file);
        } catch (RuntimeException e) {
            return new ScriptRun(List.of(), List.of(), Optional.of(new ScriptRun.Failure(null, e.getMessage())));
        }
        Map<String, Object> properties = new LinkedHashMap<>(GRADING_PROPERTIES);
        if (!Learner.prefix().isEmpty()) {
            properties.put(OUTPUT_TOPIC_PREFIX, Learner.prefix());
        }
        List<KsqlScript.Statement> accepted = new ArrayList<>();
        List<ScriptRun.QueryResult> queries = new ArrayList<>();
        for (KsqlScript.Statement statement : script.statements()) {
            KsqlScript.Statement renamed = statement.renamed(objects, topics);
            try {
                if (statement.isSet()) {
                    applySet(renamed.text(), properties);
                } else if (statement.isQuery()) {
                    if (!statement.isPushQuery()) {
                        awaitQueriesCaughtUp(CATCH_UP); // a learner at the CLI asks once the data is in
                    }
                    KsqlDb.Rows rows = statement.isPushQuery()
                            ? ksql.query(renamed.text(), properties, pushQueryRows, MachinePace.scale(PUSH_QUERY_WAIT))
                            : ksql.query(renamed.text(), properties, Integer.MAX_VALUE, MachinePace.scale(CATCH_UP));
                    queries.add(new ScriptRun.QueryResult(statement, withoutPrefix(rows)));
                } else {
                    boolean creates = statement.text().strip().toUpperCase(Locale.ROOT).startsWith("CREATE");
                    Set<String> existedBefore = creates ? topicNames() : Set.of();
                    ksql.execute(renamed.text(), properties);
                    keepNewTopicsForever(existedBefore);
                }
                accepted.add(statement);
            } catch (KsqlDb.Refused e) {
                return new ScriptRun(accepted, queries, Optional.of(new ScriptRun.Failure(statement, withoutPrefix(e.getMessage()))));
            } catch (IOException e) {
                return new ScriptRun(accepted, queries, Optional.of(new ScriptRun.Failure(statement,
                        "ksqlDB at " + ksql.url() + " did not answer: " + e.getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new ScriptRun(accepted, queries, Optional.empty());
    }

    /** {@code SET 'auto.offset.reset' = 'earliest'}: the CLI keeps it for the statements that follow. */
    private static void applySet(String statement, Map<String, Object> properties) throws KsqlDb.Refused {
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("(?is)^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'\\s*$").matcher(statement.strip());
        java.util.regex.Matcher unset = java.util.regex.Pattern.compile("(?is)^UNSET\\s+'([^']+)'\\s*$").matcher(statement.strip());
        if (set.matches()) {
            properties.put(set.group(1), set.group(2));
        } else if (unset.matches()) {
            properties.remove(unset.group(1));
        } else {
            throw new KsqlDb.Refused("A SET is written SET 'property' = 'value';");
        }
    }

    /**
     * A query of the grader's, in the learner's names (RATINGS, not G1A2B3_RATINGS). {@code wait}
     * is for a quiet machine; a busy one gets longer ({@link MachinePace}).
     */
    public KsqlDb.Rows query(String sql, int enough, Duration wait) throws KsqlDb.Refused {
        try {
            return withoutPrefix(ksql.query(new KsqlScript.Statement(0, 0, sql).renamed(objects, topics).text(),
                    Map.of(), enough, MachinePace.scale(wait)));
        } catch (IOException e) {
            throw new IllegalStateException("ksqlDB at " + ksql.url() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A pull query of the grader's, in the learner's names. */
    public KsqlDb.Rows pull(String sql) throws KsqlDb.Refused {
        return query(sql, Integer.MAX_VALUE, CATCH_UP);
    }

    /** The Kafka topic behind a stream or table the learner named, if it exists. */
    public Optional<String> topicOf(String objectName) {
        try {
            JsonNode description = ksql.execute("DESCRIBE " + prefixed(objectName) + ";", Map.of());
            return Optional.of(description.path(0).path("sourceDescription").path("topic").asText());
        } catch (KsqlDb.Refused e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("ksqlDB at " + ksql.url() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The column names of a stream or table the learner named, in order; empty when there is none. */
    public List<String> columnsOf(String objectName) {
        try {
            JsonNode description = ksql.execute("DESCRIBE " + prefixed(objectName) + ";", Map.of());
            List<String> columns = new ArrayList<>();
            description.path(0).path("sourceDescription").path("fields").forEach(f -> columns.add(withoutPrefix(f.path("name").asText())));
            return columns;
        } catch (KsqlDb.Refused e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("ksqlDB at " + ksql.url() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The DESCRIBE answer's "sourceDescription" of a stream or table the learner named (missing when none). */
    public JsonNode describe(String objectName) {
        try {
            return ksql.execute("DESCRIBE " + prefixed(objectName) + ";", Map.of()).path(0).path("sourceDescription");
        } catch (KsqlDb.Refused e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (IOException e) {
            throw new IllegalStateException("ksqlDB at " + ksql.url() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The records of the sink topic behind a stream or table the learner created; empty when it does not exist. */
    public List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> sinkRecords(String objectName) {
        return topicOf(objectName).map(topic -> kafka().records(topic)).orElse(List.of());
    }

    public String prefixed(String objectName) {
        return objects.getOrDefault(objectName.toUpperCase(Locale.ROOT), objectName);
    }

    /**
     * Waits until every persistent query of this grading has processed everything in its input
     * topics (its consumer group committed their end offsets), or {@code wait} passed. With the
     * workshop's settings (commit interval 100 ms, no cache) their output is then in Kafka.
     * {@code wait} is for a quiet machine; a busy one gets longer ({@link MachinePace}).
     *
     * @return true when they caught up
     */
    public boolean awaitQueriesCaughtUp(Duration wait) {
        long deadline = System.nanoTime() + MachinePace.scale(wait).toNanos(); // longer on a busy machine
        boolean once = false;
        while (System.nanoTime() < deadline) {
            if (caughtUp()) {
                if (once) {
                    return true;
                }
                once = true; // twice, a second apart: a sub-topology may not have committed its first offsets yet
                sleep(1000);
                continue;
            }
            once = false;
            sleep(250);
        }
        return false;
    }

    private boolean caughtUp() {
        try {
            List<String> queryIds = queryIds();
            if (queryIds.isEmpty()) {
                return true;
            }
            var admin = kafka().admin();
            List<String> groups = admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId)
                    .filter(group -> queryIds.stream().anyMatch(group::endsWith))
                    .toList();
            if (groups.size() < queryIds.size()) {
                checkGroupsVisible(queryIds);
                return false;
            }
            java.util.Set<String> allTopics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            for (String group : groups) {
                Map<TopicPartition, Long> committed = kafka().committedOffsets(group);
                // A GROUP BY or a join on another column goes through a repartition topic of the
                // query's own: caught up only once that is committed too.
                boolean repartitionsCommitted = allTopics.stream()
                        .filter(topic -> topic.startsWith(group + "-") && topic.endsWith("-repartition"))
                        .allMatch(topic -> committed.keySet().stream().anyMatch(p -> p.topic().equals(topic)));
                if (!repartitionsCommitted) {
                    return false;
                }
                // its input: a topic the grading wrote, or the sink of another of its queries (G4F2A9C_RATINGS_WITH_...,
                // in room mode alice.ALICE_G4F2A9C_RATINGS_WITH_...)
                boolean readsInput = committed.keySet().stream().anyMatch(p -> topics.containsValue(p.topic())
                        || p.topic().startsWith(prefix) || p.topic().startsWith(Learner.prefix() + prefix));
                if (!readsInput) {
                    return false; // not started, or it committed its repartition topic only
                }
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() < ends.get(entry.getKey()).offset()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (WorkshopException e) {
            throw e;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Throws, saying what to grant, when the login may not describe ksqlDB's query groups (a
     * room's ACLs without the Describe grant): for graders that read a query's offsets themselves.
     */
    public void checkQueryGroupsVisible() {
        try {
            List<String> queryIds = queryIds();
            if (!queryIds.isEmpty()) {
                checkGroupsVisible(queryIds);
            }
        } catch (WorkshopException e) {
            throw e;
        } catch (Exception e) {
            // not known yet: asked again on the next call
        }
    }

    /**
     * On a cluster with ACLs, the list of groups holds only those the login may describe: without
     * Describe on ksqlDB's query groups, waiting for them would last the whole deadline. Asked once.
     */
    private void checkGroupsVisible(List<String> queryIds) throws Exception {
        if (groupsVisible) {
            return;
        }
        String queries = "_confluent-ksql-" + ksql.info().path("KsqlServerInfo").path("ksqlServiceId").asText() + "query_";
        try {
            kafka().admin().describeConsumerGroups(List.of(queries + queryIds.get(0))).all().get(10, TimeUnit.SECONDS);
            groupsVisible = true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                throw new WorkshopException("Kafka does not let your login describe ksqlDB's query groups (" + queries
                        + "...), so the grader cannot tell when your queries have processed their input. Ask your instructor "
                        + "to grant you Describe on the groups and topics with the prefix " + queries
                        + " (instructor guide, \"ksqlDB in a room\").");
            }
            throw e;
        }
    }

    /** The ids of the persistent queries that write to this grading's streams and tables. */
    private List<String> queryIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode query : ksql.execute("SHOW QUERIES;", Map.of()).path(0).path("queries")) {
            boolean ours = false;
            for (JsonNode sink : query.path("sinks")) {
                ours |= sink.asText().startsWith(prefix);
            }
            ours |= query.path("queryString").asText().contains(prefix);
            if (ours) {
                ids.add(query.path("id").asText());
            }
        }
        return ids;
    }

    /** ksqlDB's messages and column names as the learner wrote them: without this grading's prefix. */
    String withoutPrefix(String text) {
        String result = text;
        for (Map.Entry<String, String> topic : topics.entrySet()) {
            result = result.replace(topic.getValue(), topic.getKey());
        }
        return result.replace(Learner.prefix() + prefix, "").replace(prefix, "").replace(prefix.toLowerCase(Locale.ROOT), "");
    }

    private KsqlDb.Rows withoutPrefix(KsqlDb.Rows rows) {
        return new KsqlDb.Rows(rows.columns().stream().map(this::withoutPrefix).toList(), rows.rows());
    }

    /** Stops this grading's queries and drops its streams and tables with their topics. */
    @Override
    public void close() {
        try {
            for (String id : queryIds()) {
                try {
                    ksql.execute("TERMINATE " + id + ";", Map.of());
                } catch (KsqlDb.Refused e) {
                    // a source table's own query goes with DROP TABLE
                }
            }
            List<String[]> sources = new ArrayList<>();
            for (String kind : List.of("STREAMS", "TABLES")) {
                String key = kind.toLowerCase(Locale.ROOT);
                for (JsonNode source : ksql.execute("SHOW " + kind + ";", Map.of()).path(0).path(key)) {
                    String name = source.path("name").asText();
                    if (name.startsWith(prefix)) {
                        sources.add(new String[] {kind.substring(0, kind.length() - 1), name});
                    }
                }
            }
            // Derived sources must go before the sources they read: retry in rounds.
            for (int round = 0; round < 4 && !sources.isEmpty(); round++) {
                List<String[]> left = new ArrayList<>();
                for (String[] source : sources) {
                    try {
                        ksql.execute("DROP " + source[0] + " IF EXISTS " + source[1] + " DELETE TOPIC;", Map.of());
                    } catch (KsqlDb.Refused e) {
                        try { // a SOURCE table is read-only: drop it, its (input) topic goes below
                            ksql.execute("DROP " + source[0] + " IF EXISTS " + source[1] + ";", Map.of());
                        } catch (KsqlDb.Refused stillUsed) {
                            left.add(source);
                        }
                    }
                }
                sources = left;
            }
            for (String topic : sources.isEmpty() ? topics.values() : List.<String>of()) {
                // input topics go last, and only when nothing reads them any more: a query whose source topic
                // vanishes fails, and the server then waits for it when it stops
                if (kafka != null && kafka.describe(topic).isPresent()) {
                    kafka.admin().deleteTopics(List.of(topic));
                }
            }
        } catch (Exception e) {
            // cleaning up is best effort: names are unique, so leftovers never disturb another grading
        } finally {
            if (kafka != null && kafka != safeBenchBroker()) {
                kafka.close();
            }
        }
    }

    private Broker safeBenchBroker() {
        try {
            return bench.broker();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
