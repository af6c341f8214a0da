///usr/bin/env jbang "$0" "$@" ; exit $?
//REPOS mavencentral,confluent=https://packages.confluent.io/maven/
//DEPS io.confluent.ksql:ksqldb-api-client:8.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.ObjectMapper;
import io.confluent.ksql.api.client.Client;
import io.confluent.ksql.api.client.ClientOptions;
import io.confluent.ksql.api.client.Row;
import io.confluent.ksql.api.client.StreamedQueryResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Module 13, exercise capstone-sql1 (ksqlDB track; Kafka Streams track: capstone1): push a
 * notification for every unhappy platinum customer, from a push query on ksqlDB's stream
 * UNHAPPY_PLATINUM_CUSTOMERS (module 11, or the pipeline of capstone-sql2).
 *
 * For each row, one Slack-style message {"text": "..."} is POSTed to WEBHOOK_URL. While the
 * webhook fails (503, or nothing listens), the same row is retried, waiting longer each time.
 *
 * A push query keeps no position for you: there is no consumer group and nothing is committed.
 * Started from the beginning of the stream (auto.offset.reset=earliest) it brings every row
 * again at each start. So the notifier keeps its own position: the rating ids the webhook
 * accepted, appended to DELIVERED_FILE right after each 2xx. A restart skips those, and a row
 * that was never accepted comes again: nothing lost, nothing posted twice.
 *
 * It runs until Ctrl-C.
 *
 *   Run it:    ./jbang capstone-sql1
 *   Check it:  ./jbang workshop check capstone-sql1
 */
public class PushNotifier {

    static final URI KSQLDB_URL = URI.create(env("KSQLDB_URL", "http://localhost:8088"));
    // Room mode (docs/instructor-guide.adoc): the learner's prefix for streams and tables
    // (WORKSHOP_LEARNER=alice: ALICE_UNHAPPY_PLATINUM_CUSTOMERS) and the server's login, if it asks for one.
    static final String SQL_PREFIX = env("WORKSHOP_LEARNER", "").isEmpty() ? ""
            : env("WORKSHOP_LEARNER", "").replace('-', '_').toUpperCase(Locale.ROOT) + "_";
    static final String STREAM = env("STREAM", SQL_PREFIX + "UNHAPPY_PLATINUM_CUSTOMERS");
    static final String WEBHOOK_URL = env("WEBHOOK_URL", "http://localhost:8099/notify");
    static final Path DELIVERED_FILE = Path.of(env("DELIVERED_FILE", "notifier-delivered.txt"));
    /** The first retry waits this long, each next one twice as long, up to MAX_BACKOFF. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final Duration POLL = Duration.ofSeconds(1);

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The text of the notification: names the customer, the stars and what they said. */
    static String text(Row row) {
        return String.format("Unhappy platinum customer %s %s (%s) rated route %d %d star(s): \"%s\" [rating %d]",
                row.getString("FIRST_NAME"), row.getString("LAST_NAME"), row.getString("EMAIL"),
                row.getInteger("ROUTE_ID"), row.getInteger("STARS"), row.getString("MESSAGE"), row.getLong("RATING_ID"));
    }

    /** A Slack-style incoming-webhook message: a JSON object with a "text". */
    static String slackMessage(Row row) throws IOException {
        return JSON.writeValueAsString(Map.of("text", text(row)));
    }

    /** The rating ids delivered by earlier runs: one per line. */
    static Set<Long> delivered() throws IOException {
        Set<Long> ids = new HashSet<>();
        if (Files.exists(DELIVERED_FILE)) {
            for (String line : Files.readAllLines(DELIVERED_FILE)) {
                if (!line.isBlank()) {
                    ids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return ids;
    }

    /** Written down only after the webhook accepted it; SYNC: on disk before the next row. */
    static void markDelivered(long ratingId) throws IOException {
        Files.writeString(DELIVERED_FILE, ratingId + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    public static void main(String[] args) throws Exception {
        URI webhook = webhook(WEBHOOK_URL);
        Set<Long> delivered = delivered();
        Client client = Client.create(clientOptions());
        Runtime.getRuntime().addShutdownHook(new Thread(client::close));
        // Every row of the stream, from its beginning, then each new one as it happens.
        StreamedQueryResult rows = client.streamQuery("SELECT * FROM " + STREAM + " EMIT CHANGES;",
                Map.of("auto.offset.reset", "earliest")).get();
        System.out.println("Notifying " + webhook + " of every row of " + STREAM + " (" + delivered.size() + " delivered before)");
        Webhook hook = new Webhook(webhook);
        while (!rows.isComplete() && !rows.isFailed()) {
            Row row = rows.poll(POLL);
            if (row == null || delivered.contains(row.getLong("RATING_ID"))) {
                continue;
            }
            Duration backoff = FIRST_BACKOFF;
            // The same row until the webhook takes it: the next one waits.
            while (!hook.post(slackMessage(row))) {
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            markDelivered(row.getLong("RATING_ID"));
            delivered.add(row.getLong("RATING_ID"));
        }
        System.err.println("The push query on " + STREAM + " ended" + (rows.isFailed() ? " with an error" : "")
                + ": is the stream still there? (SHOW STREAMS;)");
        client.close();
        System.exit(1);
    }

    /** The webhook: POSTs messages, and says once (not at every retry) when it stops or starts answering. */
    static final class Webhook {
        final URI url;
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
                if (status >= 200 && status < 300) {
                    if (trouble != null) {
                        System.out.println("Webhook " + url + " answers again: delivering what waited");
                        trouble = null;
                    }
                    return true;
                }
                problem = "answered HTTP " + status;
            } catch (IOException e) {
                problem = "cannot be reached (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
            }
            if (trouble == null) {
                System.out.println("Webhook " + url + " " + problem + ": retrying, nothing is lost");
                trouble = problem;
            }
            return false;
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

    /** The client's settings for KSQLDB_URL: TLS for https, and KSQLDB_BASIC_AUTH_USER_INFO=user:password when given. */
    static ClientOptions clientOptions() {
        boolean tls = "https".equals(KSQLDB_URL.getScheme());
        ClientOptions options = ClientOptions.create()
                .setHost(KSQLDB_URL.getHost())
                .setPort(KSQLDB_URL.getPort() > 0 ? KSQLDB_URL.getPort() : tls ? 443 : 8088)
                .setUseTls(tls);
        String login = System.getenv("KSQLDB_BASIC_AUTH_USER_INFO");
        if (login != null && login.contains(":")) {
            options.setBasicAuthCredentials(login.substring(0, login.indexOf(':')), login.substring(login.indexOf(':') + 1));
        }
        return options;
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
