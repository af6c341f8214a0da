package workshop.graders.capstone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The grader's own webhook, a real HTTP server on the loopback interface, like Slack's incoming
 * webhooks: it takes {"text": ...} by POST. It answers what the grader planned (a few 503s, or
 * 503 until told otherwise) and remembers every message it accepted, and how many it refused.
 */
public final class WebhookReceiver implements AutoCloseable {

    static final String PATH = "/notify";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Deque<Integer> planned = new ArrayDeque<>();
    private final List<String> accepted = new ArrayList<>();
    private int refused;
    private boolean down;
    private long lastPost = System.nanoTime();
    private java.util.function.Consumer<String> listener = text -> { };

    private WebhookReceiver(HttpServer server) {
        this.server = server;
        server.createContext(PATH, this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** A receiver on a free port. */
    public static WebhookReceiver start() {
        return on(0);
    }

    /** A receiver on that port (a second receiver at the URL where an earlier one stopped). */
    public static WebhookReceiver on(int port) {
        try {
            return new WebhookReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50));
        } catch (IOException e) {
            throw new UncheckedIOException("The grader cannot open its webhook on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port() + PATH;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next {@code count} posts get a 503, whatever they carry. */
    public synchronized void refuseNext(int count) {
        for (int i = 0; i < count; i++) {
            planned.add(503);
        }
    }

    /** Answers 503 to everything until {@link #up()}. */
    public synchronized void down() {
        down = true;
    }

    public synchronized void up() {
        down = false;
    }

    /** After {@code acceptFirst} more accepted posts, refuse the next {@code refuse}: failures in the middle of a batch. */
    public synchronized void acceptThenRefuse(int acceptFirst, int refuse) {
        for (int i = 0; i < acceptFirst; i++) {
            planned.add(200);
        }
        refuseNext(refuse);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            synchronized (this) {
                lastPost = System.nanoTime();
                Integer next = planned.poll();
                status = !"POST".equals(exchange.getRequestMethod()) ? 405 : down ? 503 : next == null ? 200 : next;
                if (status == 200) {
                    accepted.add(body);
                    listener.accept(textOf(body));
                } else {
                    refused++;
                }
                notifyAll();
            }
            byte[] answer = (status == 200 ? "ok" : "unavailable").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** Called with the text of each accepted message, e.g. to print it. */
    public synchronized void onMessage(java.util.function.Consumer<String> listener) {
        this.listener = listener;
    }

    /** Every message accepted, in the order they came. */
    public synchronized List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** How long since the last post came (or since the receiver started, when none came). */
    public synchronized Duration quietFor() {
        return quietSince(lastPost);
    }

    /**
     * How long since the last post came or since {@code since} (a System.nanoTime()), whichever is
     * later: a wait that began after the last post counts its silence from its own start, so a
     * notifier started for it gets its time.
     */
    public synchronized Duration quietSince(long since) {
        return Duration.ofNanos(System.nanoTime() - Math.max(lastPost, since));
    }

    public synchronized int refused() {
        return refused;
    }

    /** Waits until the accepted and refused posts satisfy the condition; false when the time ran out. */
    public synchronized boolean await(Predicate<WebhookReceiver> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.min(left, 200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The "text" of each accepted message, or the raw body when it is not such JSON. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (String body : accepted()) {
            texts.add(textOf(body));
        }
        return texts;
    }

    static String textOf(String body) {
        try {
            JsonNode text = JSON.readTree(body).path("text");
            return text.isTextual() ? text.asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    /** How often each text was accepted, by text. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        texts().forEach(t -> counts.merge(t, 1, Integer::sum));
        return counts;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
