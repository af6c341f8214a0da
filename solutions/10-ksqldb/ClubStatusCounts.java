///usr/bin/env jbang "$0" "$@" ; exit $?
//REPOS mavencentral,confluent=https://packages.confluent.io/maven/
//DEPS io.confluent.ksql:ksqldb-api-client:8.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import io.confluent.ksql.api.client.Client;
import io.confluent.ksql.api.client.ClientOptions;
import io.confluent.ksql.api.client.Row;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Prints how many ratings each club status has right now: a pull query on a table that ksqlDB keeps
 * up to date, through ksqlDB's Java client. It answers at once and ends.
 *
 * <p>Needs the table. In the ksqlDB CLI, after module 11's RATINGS_WITH_CUSTOMER_DATA:
 * <pre>
 * CREATE TABLE RATINGS_PER_CLUB_STATUS AS
 *     SELECT CLUB_STATUS, COUNT(*) AS RATINGS
 *     FROM RATINGS_WITH_CUSTOMER_DATA
 *     GROUP BY CLUB_STATUS
 *     EMIT CHANGES;
 * </pre>
 * Then {@code ./jbang ksqldb5} prints one line per club status: the status and its count.
 */
public class ClubStatusCounts {

    static final URI KSQLDB_URL = URI.create(env("KSQLDB_URL", "http://localhost:8088"));
    // Room mode (docs/instructor-guide.adoc): the learner's prefix for streams and tables
    // (WORKSHOP_LEARNER=alice: ALICE_RATINGS_PER_CLUB_STATUS) and the server's login, if it asks for one.
    static final String SQL_PREFIX = env("WORKSHOP_LEARNER", "").isEmpty() ? ""
            : env("WORKSHOP_LEARNER", "").replace('-', '_').toUpperCase(Locale.ROOT) + "_";
    static final String TABLE = env("TABLE", SQL_PREFIX + "RATINGS_PER_CLUB_STATUS");

    public static void main(String[] args) throws Exception {
        Client client = Client.create(clientOptions());
        try {
            // A pull query: the table as it is now. No EMIT CHANGES, so it ends with its answer.
            List<Row> counts = client.executeQuery("SELECT CLUB_STATUS, RATINGS FROM " + TABLE + ";").get();
            for (Row count : counts) {
                System.out.printf("%s\t%d%n", count.getString("CLUB_STATUS"), count.getLong("RATINGS"));
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
