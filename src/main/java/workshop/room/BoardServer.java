package workshop.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The instructor's board as a local web page: {@code /} the page, {@code /board.json} the
 * board now, {@code /events} the board again each time it changes (server-sent events).
 *
 * <p>The JDK's own HTTP server: it ships with every JDK the workshop runs on, so the board adds
 * no dependency, and server-sent events need nothing more than a response that stays open.
 */
public final class BoardServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A comment line now and then keeps proxies and idle timeouts from closing the stream. */
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final RoomBoard board;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("board-http"));
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(daemon("board-keepalive"));
    private final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
    private final byte[] page;

    private BoardServer(RoomBoard board, HttpServer server) {
        this.board = board;
        this.server = server;
        this.page = resource("board.html");
        server.createContext("/", this::page);
        server.createContext("/board.json", exchange -> send(exchange, 200, "application/json", snapshotJson().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/events", this::events);
        server.setExecutor(handlers);
        keepAlive.scheduleAtFixedRate(() -> broadcast(": keep-alive\n\n"), KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Serves the board at host:port (port 0: any free port).
     *
     * @throws IOException when the port is taken
     */
    public static BoardServer start(RoomBoard board, String host, int port) throws IOException {
        BoardServer boardServer = new BoardServer(board, HttpServer.create(new InetSocketAddress(host, port), 0));
        boardServer.server.start();
        return boardServer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Tells every open page that the board changed. */
    public void changed() {
        broadcast("event: board\ndata: " + snapshotJson() + "\n\n");
    }

    private String snapshotJson() {
        try {
            return JSON.writeValueAsString(board.snapshot(System.currentTimeMillis()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "Not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "text/html; charset=utf-8", page);
    }

    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // 0: chunked, open until the page goes away
        OutputStream out = exchange.getResponseBody();
        synchronized (out) {
            out.write(("retry: 2000\nevent: board\ndata: " + snapshotJson() + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        listeners.add(out);
    }

    private void broadcast(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (OutputStream out : listeners) {
            try {
                synchronized (out) {
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException e) {
                listeners.remove(out); // the page was closed
                try {
                    out.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = BoardServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The board's page " + name + " is missing from the runner's classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        listeners.forEach(out -> {
            try {
                out.close();
            } catch (IOException ignored) {
                // the page is gone already
            }
        });
        server.stop(0);
        handlers.shutdownNow();
    }
}
