package workshop.graders.topics;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.ProgramRun;
import workshop.grading.Workbench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades topics1: the program creates a ratings topic (PARTITIONS partitions, 3 days of
 * retention) and a compacted customers topic, and running it again changes nothing. The
 * partition count is drawn afresh (never 6, the default, nor 1, the broker's default), so only
 * a program that uses PARTITIONS passes. What counts is what the broker reports.
 */
@Grader
class CreateTopicsGrader {

    private static final short REPLICATION_FACTOR = 1; // the workshop stack has one broker
    private static final String THREE_DAYS = String.valueOf(Duration.ofDays(3).toMillis());

    private int partitions;
    private String ratings;
    private String customers;
    private ProgramRun first;
    private ProgramRun second;
    private Optional<TopicDescription> ratingsAfterFirst;
    private Optional<TopicDescription> customersAfterFirst;
    private Map<String, String> ratingsConfig;
    private Map<String, String> customersConfig;
    private Optional<TopicDescription> ratingsAfterSecond;
    private Optional<TopicDescription> customersAfterSecond;
    private String lateCustomers;
    private ProgramRun withRatingsPresent;
    private Optional<TopicDescription> lateCustomersDescription;

    @BeforeAll
    void runExercise(Workbench bench) {
        List<Integer> counts = List.of(2, 3, 4, 5, 7, 8);
        partitions = counts.get(ThreadLocalRandom.current().nextInt(counts.size()));
        ratings = bench.name("ratings");
        customers = bench.name("customers");

        first = run(bench, ratings, customers);
        Map<String, Optional<TopicDescription>> created = describe(bench, first, ratings, customers);
        ratingsAfterFirst = created.get(ratings);
        customersAfterFirst = created.get(customers);
        ratingsConfig = ratingsAfterFirst.isPresent() ? bench.broker().topicConfig(ratings) : Map.of();
        customersConfig = customersAfterFirst.isPresent() ? bench.broker().topicConfig(customers) : Map.of();
        if (first.timedOut()) {
            return; // a program that hangs would only hang again
        }

        second = run(bench, ratings, customers);
        ratingsAfterSecond = bench.broker().describe(ratings);
        customersAfterSecond = bench.broker().describe(customers);

        // Another pair of names, where only the ratings topic exists already.
        String lateRatings = bench.name("ratings-late");
        lateCustomers = bench.name("customers-late");
        bench.broker().createTopic(lateRatings, partitions, REPLICATION_FACTOR, Map.of(TopicConfig.RETENTION_MS_CONFIG, THREE_DAYS));
        withRatingsPresent = run(bench, lateRatings, lateCustomers);
        lateCustomersDescription = describe(bench, withRatingsPresent, lateCustomers).get(lateCustomers);
    }

    /**
     * The topics as the broker describes them. A broker may serve a new topic's metadata a
     * moment after the creation was acknowledged, so after a successful run a missing topic is
     * looked for again, for up to a second.
     */
    private static Map<String, Optional<TopicDescription>> describe(Workbench bench, ProgramRun run, String... topics) {
        long deadline = System.nanoTime() + (run.succeeded() ? Duration.ofSeconds(1).toNanos() : 0);
        Map<String, Optional<TopicDescription>> descriptions = new HashMap<>();
        while (true) {
            for (String topic : topics) {
                descriptions.put(topic, bench.broker().describe(topic));
            }
            if (descriptions.values().stream().allMatch(Optional::isPresent) || System.nanoTime() > deadline) {
                return descriptions;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return descriptions;
            }
        }
    }

    private ProgramRun run(Workbench bench, String ratingsTopic, String customersTopic) {
        return bench.program().run(Map.of(
                "RATINGS_TOPIC", ratingsTopic,
                "CUSTOMERS_TOPIC", customersTopic,
                "PARTITIONS", String.valueOf(partitions),
                "REPLICATION_FACTOR", String.valueOf(REPLICATION_FACTOR)));
    }

    @Test
    @Order(1)
    @DisplayName("the program runs to completion")
    void runs() {
        first.expectSuccess("Creating two topics takes well under a second. Do you wait on a future that never completes?");
    }

    @Test
    @Order(2)
    @DisplayName("ratings has PARTITIONS partitions of REPLICATION_FACTOR replicas")
    void ratingsShape() {
        expectShape(ratings, ratingsAfterFirst, "ratings");
    }

    @Test
    @Order(3)
    @DisplayName("ratings keeps its records for 3 days, then deletes them")
    void ratingsRetention() {
        expectExists(ratings, ratingsAfterFirst, "ratings");
        String retention = ratingsConfig.get(TopicConfig.RETENTION_MS_CONFIG);
        String hint;
        if (String.valueOf(Duration.ofDays(3).toSeconds()).equals(retention)) {
            hint = "retention.ms counts milliseconds, not seconds: Duration.ofDays(3).toMillis().";
        } else if ("604800000".equals(retention)) {
            hint = "That is the broker's default, 7 days: set retention.ms in the NewTopic's configs(...).";
        } else {
            hint = "Set TopicConfig.RETENTION_MS_CONFIG to 3 days in milliseconds, as a string, in the ratings NewTopic's configs(...).";
        }
        Expect.equal("Topic " + ratings + " does not keep records for 3 days", "retention.ms=" + THREE_DAYS,
                "retention.ms=" + retention, hint);
        Expect.equal("Topic " + ratings + " does not delete old records", "cleanup.policy=delete",
                "cleanup.policy=" + ratingsConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG),
                "Ratings are events, each one a fact of its own: old ones expire, none replaces another. Only customers is compacted.");
    }

    @Test
    @Order(4)
    @DisplayName("customers has PARTITIONS partitions of REPLICATION_FACTOR replicas")
    void customersShape() {
        expectShape(customers, customersAfterFirst, "customers");
    }

    @Test
    @Order(5)
    @DisplayName("customers is compacted: the latest record of each key is kept")
    void customersCompacted() {
        expectExists(customers, customersAfterFirst, "customers");
        String policy = customersConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String hint;
        if ("delete".equals(policy)) {
            hint = "cleanup.policy is still the default, delete: old customers would expire after the retention time. "
                    + "Give the customers NewTopic configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)).";
        } else if (policy != null && policy.contains("delete")) {
            hint = "With both compact and delete, a customer that has not changed for the retention time disappears. "
                    + "Compact only: a table keeps every current row.";
        } else {
            hint = "Set TopicConfig.CLEANUP_POLICY_CONFIG to TopicConfig.CLEANUP_POLICY_COMPACT.";
        }
        Expect.equal("Topic " + customers + " is not compacted", "cleanup.policy=compact", "cleanup.policy=" + policy, hint);
    }

    @Test
    @Order(6)
    @DisplayName("running it again is harmless")
    void rerunIsHarmless() {
        Expect.isTrue(first.succeeded() && second != null, "The first run failed, so a second run cannot be judged",
                "the first run exits 0", first.timedOut() ? "still running when stopped" : "exit code " + first.exitCode(),
                "Make the first run work first.");
        Expect.isTrue(ratingsAfterFirst.isPresent() && customersAfterFirst.isPresent(),
                "The first run did not create both topics, so running again proves nothing",
                "topics " + ratings + " and " + customers + " after the first run",
                describeShape(ratingsAfterFirst) + ", " + describeShape(customersAfterFirst), "Create both topics first (TODO 1 to 3).");
        String output = String.join("\n", second.stderr()) + "\n" + String.join("\n", second.stdout());
        if (!second.succeeded() && output.contains("TopicExistsException")) {
            throw Expect.fail("The second run failed on TopicExistsException", "exit code 0", "exit code " + second.exitCode(),
                    "A topic that exists is fine here: catch the ExecutionException of its future and, when its cause is "
                            + "a TopicExistsException, say so and carry on. Rethrow any other cause.");
        }
        second.expectSuccess("A second run must end by itself too.");
        Expect.equal("The second run changed the topics", describeShape(ratingsAfterFirst) + ", " + describeShape(customersAfterFirst),
                describeShape(ratingsAfterSecond) + ", " + describeShape(customersAfterSecond),
                "Leave a topic that exists as it is.");
    }

    @Test
    @Order(7)
    @DisplayName("a topic that exists already does not stop the other from being created")
    void createsTheMissingOne() {
        Expect.isTrue(withRatingsPresent != null, "The program hung, so this could not be tried", "a run with ratings already present",
                "no run", "Make the first run work first.");
        withRatingsPresent.expectSuccess("A run where one topic exists must end by itself too.");
        Expect.isTrue(lateCustomersDescription.isPresent(), "With only the ratings topic present, customers was not created",
                "topic " + lateCustomers + " exists", "it does not",
                "Do not decide for both topics from one: each topic's future in createTopics(...).values() tells its own outcome.");
    }

    private void expectExists(String topic, Optional<TopicDescription> description, String role) {
        Expect.isTrue(description.isPresent(), "There is no topic " + topic, "topic " + topic + " exists", "it does not",
                "Create the " + role + " topic with admin.createTopics(...), named by " + role.toUpperCase() + "_TOPIC, and wait "
                        + "for the result (get() on its future): the program must not end before the broker has answered.");
    }

    private void expectShape(String topic, Optional<TopicDescription> description, String role) {
        expectExists(topic, description, role);
        List<TopicPartitionInfo> actual = description.get().partitions();
        String hint = actual.size() == 1
                ? "One partition is the broker's default (num.partitions): pass PARTITIONS to the NewTopic."
                : actual.size() == 6
                ? "6 is PARTITIONS's default; the grader sets PARTITIONS=" + partitions + ": use the variable, not the number."
                : "Create the topic with PARTITIONS partitions: new NewTopic(name, PARTITIONS, REPLICATION_FACTOR).";
        Expect.equal("Topic " + topic + " has another number of partitions", count(partitions), count(actual.size()), hint);
        for (TopicPartitionInfo partition : actual) {
            Expect.equal("Partition " + partition.partition() + " of " + topic + " has another number of replicas",
                    replicas(REPLICATION_FACTOR), replicas(partition.replicas().size()),
                    "Use REPLICATION_FACTOR as the NewTopic's replication factor.");
        }
    }

    private static String count(int partitions) {
        return partitions + (partitions == 1 ? " partition" : " partitions");
    }

    private static String replicas(int count) {
        return count + (count == 1 ? " replica" : " replicas");
    }

    private static String describeShape(Optional<TopicDescription> description) {
        return description.map(d -> d.name() + " with " + d.partitions().size() + " partitions").orElse("(no topic)");
    }
}
