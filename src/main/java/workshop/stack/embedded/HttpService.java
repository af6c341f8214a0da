package workshop.stack.embedded;

import workshop.stack.StackException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the embedded HTTP services share: a free port to listen on, and readiness on a real endpoint. */
final class HttpService {

    private HttpService() {
    }

    /** A port nothing listens on now, for a service that takes a free one (tests). */
    static int freePort(String service) {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("No free port for " + service + ": " + e.getMessage());
        }
    }

    /**
     * Waits until a GET of the URL answers 200.
     *
     * @param alive false once the service has died: no use waiting longer
     * @return false when it did not answer in time
     */
    static boolean awaitOk(String url, Duration timeout, BooleanSupplier alive) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
