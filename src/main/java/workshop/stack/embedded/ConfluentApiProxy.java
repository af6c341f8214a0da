package workshop.stack.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import workshop.stack.StackException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The schema registry's port as Confluent's clients and docs expect it: Apicurio serves
 * Confluent's API only under {@code /apis/ccompat/v7}, so this small reverse proxy on loopback
 * serves it at the root too ({@code GET /subjects}, {@code POST /compatibility/...}), passes
 * {@code /apis/...} through unchanged, and gives compatibility answers Confluent's
 * {@code messages} field (Apicurio names it {@code reason}).
 */
final class ConfluentApiProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request headers that the client's HTTP library sets itself, or must not forward. */
    private static final List<String> HOP_HEADERS = List.of("host", "connection", "content-length", "transfer-encoding",
            "upgrade", "expect", "keep-alive", "accept-encoding"); // accept-encoding: answers pass through unencoded

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "schema-registry-proxy");
        thread.setDaemon(true);
        return thread;
    });
    /** Apicurio on loopback: a connection that takes this long will not come (the request's own time grows with the machine's pace). */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final String target;

    private ConfluentApiProxy(HttpServer server, String target) {
        this.server = server;
        this.target = target;
    }

    /**
     * @param port   where learners' programs look for the registry
     * @param target Apicurio's own address, e.g. http://127.0.0.1:41234
     */
    static ConfluentApiProxy start(int port, String target) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new StackException("The schema registry cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        ConfluentApiProxy proxy = new ConfluentApiProxy(server, target);
        server.createContext("/", proxy::forward);
        server.setExecutor(proxy.threads);
        server.start();
        return proxy;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String targetPath = path.startsWith("/apis/") ? path : EmbeddedSchemaRegistry.CONFLUENT_API + path;
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + targetPath + query))
                    .timeout(workshop.stack.MachinePace.scale(Duration.ofSeconds(30))) // a busy machine slows Apicurio first
                    .method(exchange.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] answer = targetPath.contains("/compatibility/") ? withMessages(response.body()) : response.body();
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    /** {"is_compatible": false, "reason": "..."} also as Confluent says it: "messages": ["..."]. */
    static byte[] withMessages(byte[] body) {
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer instanceof ObjectNode object && object.has("is_compatible") && !object.has("messages")) {
                var messages = object.putArray("messages");
                JsonNode reason = object.get("reason");
                if (reason != null && !reason.isNull() && !reason.asText().isEmpty()) {
                    messages.add(reason.asText());
                }
                return JSON.writeValueAsBytes(object);
            }
        } catch (IOException e) {
            // Not JSON: passed on as it came.
        }
        return body;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
