package workshop.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A ksqlDB server that someone else runs, named by {@code KSQLDB_URL}: the embedded stack cannot
 * start ksqlDB (it is not on Maven Central), but it can grade against a given one.
 */
public final class KsqlDbServer {

    public static final String VARIABLE = Service.KSQLDB.variable();
    public static final String HEALTH_PATH = "/healthcheck";

    private KsqlDbServer() {
    }

    /** The URL of KSQLDB_URL (or -Dksqldb.url) when that server answers its health check, else empty. */
    public static java.util.Optional<String> reachable() {
        String url = System.getProperty("ksqldb.url", System.getenv(VARIABLE));
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        String base = url.strip().replaceAll("/+$", "");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + HEALTH_PATH)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                    ? java.util.Optional.of(base) : java.util.Optional.empty();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * The given server's URL, or the one-line reason why this stack has no ksqlDB (and what to do
     * instead).
     */
    public static String given() {
        return reachable().orElseThrow(() -> new StackException(
                "No ksqlDB here: the embedded stack cannot run it (it is not on Maven Central). Run the docker-compose "
                        + "stack, or set " + VARIABLE + " to a ksqlDB server, or solve this exercise's Kafka Streams twin."));
    }
}
