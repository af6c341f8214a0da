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
    static final String TABLE = env("TABLE", "RATINGS_PER_CLUB_STATUS");

    public static void main(String[] args) throws Exception {
        Client client = Client.create(ClientOptions.create()
                .setHost(KSQLDB_URL.getHost())
                .setPort(KSQLDB_URL.getPort()));
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

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
