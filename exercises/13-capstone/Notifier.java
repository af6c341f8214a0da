///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Module 13, exercise capstone1: push a notification for every unhappy platinum customer.
 *
 * Reads the topic UNHAPPY_TOPIC, where the pipeline (capstone2) writes each poor rating of a
 * platinum customer with the customer's data, and POSTs one Slack-style message for each to
 * WEBHOOK_URL: {"text": "..."}. A webhook is somebody else's service: it may answer 503 or not
 * answer at all for a while. The notifier then retries the same notification, waiting longer each
 * time (exponential backoff), and commits a record's offset only once the webhook accepted it: a
 * crash or a restart never loses a notification, and never posts a delivered one again.
 *
 * It runs until Ctrl-C.
 *
 *   Run it:    ./jbang capstone1         (WEBHOOK_URL=https://hooks.slack.com/services/... for a real Slack)
 *   Check it:  ./jbang workshop check capstone1
 */
public class Notifier {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String UNHAPPY_TOPIC = System.getenv().getOrDefault("UNHAPPY_TOPIC", PREFIX + "unhappy_platinum_customers");
    static final String GROUP_ID = System.getenv().getOrDefault("GROUP_ID", PREFIX + "notifier");
    static final String WEBHOOK_URL = System.getenv().getOrDefault("WEBHOOK_URL", "http://localhost:8099/notify");
    /** The first retry waits this long, each next one twice as long, up to MAX_BACKOFF. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // We commit ourselves, record by record, once the webhook has the notification.
        // TODO commit yourself, record by record, once the webhook has the notification
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        // A notifier that died gives its partitions up after 10 s (instead of 45): another takes over sooner.
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** The text of the notification: names the customer, the stars and what they said. */
    static String text(JsonNode rating) {
        return String.format("Unhappy platinum customer %s %s (%s) rated route %d %d star(s): \"%s\" [rating %d]",
                rating.path("first_name").asText(), rating.path("last_name").asText(), rating.path("email").asText(),
                rating.path("route_id").asInt(), rating.path("stars").asInt(), rating.path("message").asText(),
                rating.path("rating_id").asLong());
    }

    /** A Slack-style incoming-webhook message: a JSON object with a "text". */
    static String slackMessage(JsonNode rating) throws IOException {
        return JSON.writeValueAsString(Map.of("text", text(rating)));
    }

    public static void main(String[] args) throws Exception {
        URI webhook = webhook(WEBHOOK_URL);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig());
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup(); // makes poll() throw WakeupException: the loop ends, the consumer closes
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("Notifying " + webhook + " of every record of " + UNHAPPY_TOPIC);
        Webhook hook = new Webhook(webhook);
        try (consumer) {
            consumer.subscribe(List.of(UNHAPPY_TOPIC));
            Duration backoff = FIRST_BACKOFF;
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, String> record : records.records(partition)) {
                        hook.post(slackMessage(JSON.readTree(record.value())));
                        // TODO when the post failed: make the next poll() start again at this record, note the
                        //      failure and leave this partition's records for the next round
                        // TODO when it succeeded: commit this record (and only it) as done
                        hook.sent++;
                    }
                }
                if (failed) {
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                } else {
                    backoff = FIRST_BACKOFF;
                }
            }
        } catch (WakeupException e) {
            System.out.println("Stopped after " + hook.sent + " notifications");
        }
    }

    /** The webhook: POSTs messages, and says once (not at every retry) when it stops or starts answering. */
    static final class Webhook {
        final URI url;
        long sent;
        String trouble;

        Webhook(URI url) {
            this.url = url;
        }

        /** @return whether the webhook accepted the message (HTTP 2xx) */
        boolean post(String message) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(message)).build();
            String problem;
            try {
                int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                // TODO which answers mean "accepted"? Return true for those (and say so once if it was in trouble)
                problem = "answered HTTP " + status;
            } catch (IOException e) {
                problem = "cannot be reached (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
            }
            // TODO say what went wrong in ONE line, not one line per retry: only when trouble was null
            return true;
        }
    }

    static URI webhook(String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        System.err.println("WEBHOOK_URL is not an http(s) URL: " + url);
        System.exit(2);
        return null;
    }

    /** Room mode: the client settings in a properties file; none when no file is named. */
    static Properties clientSettings(String file) {
        Properties settings = new Properties();
        if (file != null) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
                settings.load(reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read KAFKA_CLIENT_PROPERTIES=" + file, e);
            }
        }
        return settings;
    }
}
