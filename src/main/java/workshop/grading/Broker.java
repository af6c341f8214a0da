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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
 * topic holds, look at committed offsets. Short timeouts everywhere: a grader never hangs on a
 * client's 60-second default.
 */
public final class Broker implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final Map<String, String> clientSettings;
    private final Admin admin;

    public Broker(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** @param clientSettings a secured cluster's client settings (room mode), added to every client of the grader's */
    public Broker(String bootstrapServers, Map<String, String> clientSettings) {
        this.bootstrapServers = bootstrapServers;
        this.clientSettings = Map.copyOf(clientSettings);
        this.admin = Admin.create(clientConfig(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
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

    /** Creates a topic and waits until the broker serves it (creation returns a little before). */
    public void createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor).configs(configs);
        get(admin.createTopics(List.of(topic)).all());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TopicDescription> description = describe(name);
            if (description.isPresent() && description.get().partitions().size() == partitions
                    && description.get().partitions().stream().allMatch(p -> p.leader() != null)
                    && leadersServe(name, partitions)) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("Topic " + name + " was created but has no leaders after " + TIMEOUT.toSeconds() + " s");
    }

    /** True once every partition's leader answers for it (metadata names a leader a moment before it serves). */
    private boolean leadersServe(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            admin.listOffsets(latest).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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

    public Optional<TopicDescription> describe(String topic) {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Writes records and waits for every acknowledgement. */
    public List<RecordMetadata> produce(Collection<ProducerRecord<String, String>> records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())))) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
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
        Optional<TopicDescription> description = describe(topic);
        if (description.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> partitions = description.get().partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(clientConfig(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
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

    private <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("The broker at " + bootstrapServers + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
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
