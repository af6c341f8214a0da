package workshop.room;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import workshop.stack.Endpoints;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The board over HTTP, fed from a real broker: a grading published to the progress topic
 * reaches an open page as a server-sent event, without a reload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A progress topic of this test's own, on the shared test broker. */
    private final String topic = "workshop.progress-" + System.nanoTime();
    private Endpoints endpoints;
    private BoardServer server;
    private ProgressFeed feed;

    @BeforeAll
    void start() throws Exception {
        Stacks.shared().start(EnumSet.of(Service.KAFKA), line -> System.out.println("    [stack] " + line));
        endpoints = Stacks.shared().endpoints();
        RoomBoard board = new RoomBoard(List.of(new RoomBoard.Column("log1", "Append ratings", "The log")));
        server = BoardServer.start(board, "localhost", 0);
        feed = ProgressFeed.start(endpoints, topic, board, server::changed);
    }

    @AfterAll
    void stop() throws Exception {
        if (feed != null) {
            feed.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }

    @Test
    void servesThePageAndTheBoardAsJson() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>Room board"), page.body());
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri("/board.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, json.statusCode());
        assertTrue(json.body().contains("\"exercises\":[{\"id\":\"log1\""), json.body());
        assertEquals(404, http.send(HttpRequest.newBuilder(uri("/nothing")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void aPublishedGradingReachesAnOpenPageAsAnEvent() throws Exception {
        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(uri("/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, events.statusCode());
        assertTrue(events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            Iterator<String> lines = events.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ")) {
                    data.add(line.substring("data: ".length()));
                }
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertNotNull(data.poll(10, TimeUnit.SECONDS), "the board at once, when the page opens");

        String learner = "carol-" + System.nanoTime() % 1000;
        ProgressPublisher.publish(endpoints, topic,
                new ProgressEvent(learner, "log1", false, "records sit at consecutive offsets", 1, System.currentTimeMillis(), 1200, false));
        String update = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (update == null && System.nanoTime() < deadline) {
            String next = data.poll(1, TimeUnit.SECONDS);
            if (next != null && next.contains(learner)) {
                update = next;
            }
        }
        assertNotNull(update, "the grading reached the open page within 30 s");
        assertTrue(update.contains("\"check\":\"records sit at consecutive offsets\""), update);
        events.body().close();
    }
}
