package workshop.room;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import workshop.grading.GradeResult;
import workshop.stack.Endpoints;
import workshop.stack.KafkaClientSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends each grading's result to the room's progress topic, when the room's settings ask for it
 * ({@link RoomSettings}). The first time, it says so; a board that cannot be reached costs the
 * learner one line, never a grading.
 */
public final class ProgressPublisher {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Marks that the learner was told where their results go (in the workshop's state folder). */
    private static final String NOTICE_FILE = "room-progress-notice";

    private ProgressPublisher() {
    }

    /**
     * Publishes one grading if the room asks for it.
     *
     * @param say prints a line to the learner
     */
    public static void report(Path root, Path stateDir, Endpoints endpoints, GradeResult result, int hints,
                              boolean reference, Consumer<String> say) {
        if (!RoomSettings.load(root, System.getenv()).publish() || endpoints.bootstrapServers() == null) {
            return;
        }
        String learner = Learner.name().orElseThrow();
        tellOnce(stateDir, learner, say);
        ProgressEvent event = ProgressEvent.of(learner, result, hints, System.currentTimeMillis(), reference);
        try {
            publish(endpoints, RoomSettings.PROGRESS_TOPIC, event);
        } catch (RuntimeException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            say.accept("(The room's progress board did not get this result: " + why + ")");
        }
    }

    /** Writes one event to a progress topic and waits for the broker's acknowledgement. */
    public static void publish(Endpoints endpoints, String topic, ProgressEvent event) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaClientSettings.with(endpoints.kafkaClient(), Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() * 2)))) { // at least linger.ms + request.timeout.ms
            // Keyed by learner: one learner's results stay in order, in one partition.
            producer.send(new ProducerRecord<>(topic, event.learner(), event.toJson()))
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT.toSeconds() * 2 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void tellOnce(Path stateDir, String learner, Consumer<String> say) {
        Path notice = stateDir.resolve(NOTICE_FILE);
        if (Files.exists(notice)) {
            return;
        }
        say.accept("Room mode: your grading results (your name '" + learner + "', the exercise, passed or the failing check, "
                + "hints shown, time) go to the instructor's board, topic " + RoomSettings.PROGRESS_TOPIC + ". "
                + "To stop it: " + RoomSettings.PROGRESS_VARIABLE + "=off.");
        try {
            Files.createDirectories(stateDir);
            Files.writeString(notice, learner + "\n");
        } catch (IOException e) {
            // Told again next time: harmless.
        }
    }
}
