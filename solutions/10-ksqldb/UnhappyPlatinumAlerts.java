///usr/bin/env jbang "$0" "$@" ; exit $?
//REPOS mavencentral,confluent=https://packages.confluent.io/maven/
//DEPS io.confluent.ksql:ksqldb-api-client:8.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import io.confluent.ksql.api.client.Client;
import io.confluent.ksql.api.client.ClientOptions;
import io.confluent.ksql.api.client.Row;
import io.confluent.ksql.api.client.StreamedQueryResult;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Prints each unhappy platinum customer as it happens: a push query on the talk's stream
 * UNHAPPY_PLATINUM_CUSTOMERS (module 11), through ksqlDB's Java client. The capstone's notifier
 * starts from this program.
 *
 * <p>Needs the stream: run exercises/11-joins/unhappy-platinum.sql in the ksqlDB CLI first. Then
 * {@code ./jbang ksqldb4} prints one line per alert (rating id, customer, stars, message), now
 * and as new poor ratings come in, until you press Ctrl-C (or after MAX_ALERTS alerts).
 *
 * <p>ksqldb-api-client is in Confluent's Maven repository (the //REPOS line), not in Maven Central.
 */
public class UnhappyPlatinumAlerts {

    static final URI KSQLDB_URL = URI.create(env("KSQLDB_URL", "http://localhost:8088"));
    // Room mode (docs/instructor-guide.adoc): the learner's prefix for streams and tables
    // (WORKSHOP_LEARNER=alice: ALICE_UNHAPPY_PLATINUM_CUSTOMERS) and the server's login, if it asks for one.
    static final String SQL_PREFIX = env("WORKSHOP_LEARNER", "").isEmpty() ? ""
            : env("WORKSHOP_LEARNER", "").replace('-', '_').toUpperCase(Locale.ROOT) + "_";
    static final String STREAM = env("STREAM", SQL_PREFIX + "UNHAPPY_PLATINUM_CUSTOMERS");
    /** Stop after this many alerts (0: never). */
    static final int MAX_ALERTS = Integer.parseInt(env("MAX_ALERTS", "0"));
    /** How long to wait for the next alert before saying that all is quiet. */
    static final Duration QUIET = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Client client = Client.create(clientOptions());
        try {
            // A push query: the rows there are (from the start of the stream), then each new one.
            StreamedQueryResult alerts = client.streamQuery(
                    "SELECT RATING_ID, FIRST_NAME, LAST_NAME, STARS, MESSAGE FROM " + STREAM + " EMIT CHANGES;",
                    Map.of("auto.offset.reset", "earliest")).get();
            int printed = 0;
            while (MAX_ALERTS == 0 || printed < MAX_ALERTS) {
                Row alert = alerts.poll(QUIET);         // null when nothing came within QUIET
                if (alert == null) {
                    if (alerts.isComplete() || alerts.isFailed()) {
                        break;
                    }
                    System.err.println("No unhappy platinum customer in the last " + QUIET.toSeconds() + " s. Still listening...");
                    continue;
                }
                System.out.printf("%d\t%s %s\t%d\t%s%n", alert.getLong("RATING_ID"), alert.getString("FIRST_NAME"),
                        alert.getString("LAST_NAME"), alert.getInteger("STARS"), alert.getString("MESSAGE"));
                printed++;
            }
        } finally {
            client.close();
        }
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
