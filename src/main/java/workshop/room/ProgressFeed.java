package workshop.room;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import workshop.WorkshopException;
import workshop.stack.Endpoints;
import workshop.stack.KafkaClientSettings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads the progress topic from its beginning into the board, and keeps reading. No consumer
 * group: the board is a reader of its own, so it needs no group ACL and replays the whole
 * session after a restart.
 */
public final class ProgressFeed implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Partitions of the progress topic when the board creates it: enough for a room, keyed by learner. */
    private static final int PARTITIONS = 3;

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean closed;

    private ProgressFeed(KafkaConsumer<String, String> consumer, RoomBoard board, Runnable changed) {
        this.consumer = consumer;
        this.thread = new Thread(() -> run(board, changed), "progress-feed");
        this.thread.setDaemon(true);
    }

    /** Creates the topic if it is missing (the instructor's credentials may), then starts reading. */
    public static ProgressFeed start(Endpoints endpoints, String topic, RoomBoard board, Runnable changed) {
        int partitions = ensureTopic(endpoints, topic);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(KafkaClientSettings.with(endpoints.kafkaClient(), Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
        List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        ProgressFeed feed = new ProgressFeed(consumer, board, changed);
        feed.thread.start();
        return feed;
    }

    private static int ensureTopic(Endpoints endpoints, String topic) {
        try (Admin admin = Admin.create(KafkaClientSettings.with(endpoints.kafkaClient(), Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) -1))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new WorkshopException("Cannot create the progress topic " + topic + ": " + e.getCause().getMessage()
                            + " Create it yourself (3 partitions), or use an account that may.");
                }
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) { // a new topic is known to every broker a moment after creation
                try {
                    return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic).partitions().size();
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new WorkshopException("Cannot read the progress topic " + topic + ": " + e.getCause().getMessage());
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkshopException("Interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new WorkshopException("The broker at " + endpoints.bootstrapServers() + " did not answer within " + TIMEOUT.toSeconds() + " s.");
        }
    }

    private void run(RoomBoard board, Runnable changed) {
        try {
            while (!closed) {
                boolean any = false;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    ProgressEvent.fromJson(record.value()).ifPresent(board::add);
                    any = true;
                }
                if (any) {
                    changed.run();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
