package workshop.grading;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import workshop.stack.MachinePace;
import workshop.stack.StackException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What a grader does on the broker: create topics, write input records, read back everything a
 * topic holds, look at committed offsets. Timeouts of its own everywhere (a grader never hangs on
 * a client's 60-second default), stretched on a busy machine ({@link MachinePace}); when the
 * broker itself does not answer in time, the failure says so ({@link StackException}) instead
 * of blaming the learner's code.
 */
public final class Broker implements AutoCloseable {

    /**
     * The configuration of a topic whose records carry their own past times (the ratings' rating_time
     * lies months back): with the default retention of 7 days, the broker would delete them at its
     * next retention check (every 5 minutes), now and then between the program's writes and the
     * grader's read.
     */
    public static final Map<String, String> KEEP_PAST_RECORDS = Map.of("retention.ms", "-1");

    /** What a quiet machine needs at most for one admin call or one read; stretched when busy. */
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final Map<String, String> clientSettings;
    private final Admin admin;
    private final Duration timeout;

    public Broker(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** @param clientSettings a secured cluster's client settings (room mode), added to every client of the grader's */
    public Broker(String bootstrapServers, Map<String, String> clientSettings) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = MachinePace.scale(QUIET_TIMEOUT);
        this.clientSettings = Map.copyOf(clientSettings);
        this.admin = Admin.create(clientConfig(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())));
    }

    /** How long this broker's calls may take on this machine now (10 s when quiet). */
    public Duration timeout() {
        return timeout;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A client configuration of the grader's with the cluster's security settings added (none on the workshop's own stacks). */
    public Map<String, Object> clientConfig(Map<String, ?> config) {
        return workshop.stack.KafkaClientSettings.with(clientSettings, config);
    }

    public Admin admin() {
        return admin;
    }

    /**
     * Creates a topic and waits until the broker serves it (creation returns a little before).
     * Retries while the brokers are still registering (fenced) or electing leaders, as a
     * freshly started cluster on a busy machine does.
     */
    public void createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        createTopic(new NewTopic(name, partitions, replicationFactor).configs(configs));
    }

    /**
     * Creates a topic as described, e.g. with explicit replica assignments
     * ({@code new NewTopic(name, Map.of(0, List.of(2, 0, 1)))}), and waits until every partition's leader serves it.
     */
    public void createTopic(NewTopic topic) {
        String name = topic.name();
        long deadline = System.nanoTime() + timeout.toNanos();
        retrying("create topic " + name, deadline, () -> {
            try {
                admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
            return true;
        });
        int partitions = topic.numPartitions() > 0 ? topic.numPartitions() : topic.replicasAssignments().size();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> description = describeOnce(name);
            if (description.isPresent() && description.get().partitions().size() == partitions
                    && description.get().partitions().stream().allMatch(p -> p.leader() != null)
                    && leadersServe(name, partitions)) {
                return;
            }
            sleep(50);
        }
        throw tooSlow("Topic " + name + " was created but had no leader on every partition after " + timeout.toSeconds() + " s");
    }

    /** True once every partition's leader answers for it (metadata names a leader a moment before it serves). */
    private boolean leadersServe(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, (short) 1, Map.of());
    }

    /**
     * The topic as the brokers describe it (leader, replicas, in-sync replicas of each partition),
     * empty when it does not exist. Retries briefly while metadata is still settling.
     */
    public Optional<TopicDescription> describe(String topic) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return retrying("describe topic " + topic, deadline, () -> describeOnce(topic));
    }

    private Optional<TopicDescription> describeOnce(String topic) {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw tooSlow("The broker did not describe topic " + topic + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * Runs an admin call until it succeeds, retrying on what a busy or freshly started cluster
     * answers for a while (brokers fenced, no leader yet, a request timed out).
     */
    private <T> T retrying(String what, long deadline, Call<T> call) {
        while (true) {
            Throwable failure;
            try {
                return call.run();
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
                failure = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
            if (!goesAway(failure)) {
                throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException("Cannot " + what + ": " + failure.getMessage(), failure);
            }
            if (System.nanoTime() > deadline) {
                throw tooSlow("Could not " + what + " within " + timeout.toSeconds() + " s (" + failure.getMessage() + ")");
            }
            sleep(200);
        }
    }

    /** Errors that go away by themselves: retriable ones, fenced brokers, a broker that did not answer in time. */
    private static boolean goesAway(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure instanceof org.apache.kafka.common.errors.RetriableException
                || failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof StackException
                || message.contains("fenced") || message.contains("Timed out");
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ExecutionException, java.util.concurrent.TimeoutException, InterruptedException;
    }

    /** A failure that is the machine's, not the learner's: shown as such in the report. */
    private StackException tooSlow(String what) {
        return new StackException(what + ": this machine is too slow or too busy right now (" + MachinePace.describe()
                + "). This says nothing about your code: close what you can and grade again. Kafka at " + bootstrapServers + ".");
    }

    /** Writes records and waits for every acknowledgement. */
    public List<RecordMetadata> produce(Collection<ProducerRecord<String, String>> records) {
        return produce(records, new StringSerializer(), new StringSerializer());
    }

    /**
     * Writes records with the given serializers (e.g. bytes as they are, for wire-format checks)
     * and waits for every acknowledgement, in order.
     */
    public <K, V> List<RecordMetadata> produce(Collection<ProducerRecord<K, V>> records, Serializer<K> keys, Serializer<V> values) {
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(clientConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())), keys, values)) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<K, V> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            List<RecordMetadata> acknowledged = new ArrayList<>();
            for (var future : sent) {
                acknowledged.add(get(future));
            }
            return acknowledged;
        }
    }

    /**
     * Everything the topic holds now, partition by partition in offset order (partitions in
     * number order). Reads up to the end offsets as they were when called; an absent topic
     * holds nothing.
     */
    public List<ConsumerRecord<String, String>> records(String topic) {
        return records(topic, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The end offset of each partition of the topic (the offset the next record will get), in
     * partition order: what a program that reads "to the end" must reach.
     */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        TopicDescription description = describe(topic).orElseThrow(() -> new IllegalStateException("No topic " + topic));
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        retrying("read the end offsets of " + topic, deadline, () -> admin.listOffsets(latest).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)).forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** How many records the topic holds, all partitions together (its end offsets summed; nothing deleted yet). */
    public long recordCount(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Everything the topic holds now, read with the given deserializers (bytes, Avro, numbers),
     * partition by partition in offset order. An absent topic holds nothing.
     */
    public <K, V> List<ConsumerRecord<K, V>> records(String topic, Deserializer<K> keys, Deserializer<V> values) {
        Optional<TopicDescription> description = describe(topic);
        if (description.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = description.get().partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(clientConfig(config), keys, values)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw tooSlow("Could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    /** The topic's configuration as the broker reports it (defaults included), e.g. cleanup.policy. */
    public Map<String, String> topicConfig(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        return config.entries().stream()
                .filter(entry -> entry.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
    }

    /**
     * The partition Kafka's default partitioner chooses for a key: murmur2 of the serialized key,
     * made positive, modulo the partition count.
     */
    public static int partitionForKey(String key, int partitions) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
    }

    /**
     * Producer ids writing to a topic with idempotence or transactions, by partition: plain
     * producers leave none, so an idempotent producer can be told apart on the broker itself.
     */
    public Map<TopicPartition, List<Long>> idempotentProducers(String topic) {
        List<TopicPartition> partitions = describe(topic).orElseThrow().partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, List<Long>> producers = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        get(admin.describeProducers(partitions).all()).forEach((partition, description) ->
                producers.put(partition, description.activeProducers().stream().map(ProducerState::producerId).toList()));
        return producers;
    }

    /** The offsets a consumer group has committed, by partition; empty when it committed none. */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        return committed.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * Whether the group has read everything: its committed offset is the end offset of every
     * partition of {@code topics} (empty partitions need none; an absent topic holds nothing) and
     * of every other partition it committed. False when the broker cannot tell.
     */
    public boolean caughtUp(String groupId, Collection<String> topics) {
        try {
            Map<TopicPartition, Long> committed = committedOffsets(groupId);
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            for (String topic : topics) {
                if (describe(topic).isPresent()) {
                    ends.putAll(endOffsets(topic));
                }
            }
            for (TopicPartition partition : committed.keySet()) {
                if (!ends.containsKey(partition)) {
                    ends.putAll(endOffsets(partition.topic()));
                }
            }
            return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || committed.getOrDefault(end.getKey(), -1L) >= end.getValue());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Removes every member of a consumer group at once, as its coordinator does when their
     * session times out: after the grader killed a program (SIGKILL), the next start then joins
     * without waiting out the dead member's session (10-45 s). Offsets stay as committed. Best
     * effort: false when the group has no member or the broker refuses (then the timeout does it).
     */
    public boolean evictMembers(String groupId) {
        try {
            admin.removeMembersFromConsumerGroup(groupId, new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions())
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw tooSlow("The broker did not answer within " + timeout.toSeconds() + " s");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
