package workshop.graders.connect;

import workshop.grading.Database;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import workshop.grading.Workbench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a grading of module 7 leaves behind, undone when it ends, newest first, whatever failed:
 * connectors, their replication slots and publications, tables, the grader's own customers,
 * topics. Gradings never pile up slots that would keep the database's log forever.
 */
final class Cleanup {

    private final Deque<Runnable> actions = new ArrayDeque<>();

    void add(String what, Runnable action) {
        actions.push(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("[grader] could not " + what + ": " + e.getMessage());
            }
        });
    }

    /**
     * Deletes a Debezium source connector, then its replication slot (once its task let go of it)
     * and its publication. The names come from the connector's own configuration, read before
     * it is deleted; Debezium's default slot is dropped only if nobody uses it, and its default
     * publication is left alone (it holds no data, and another connector may use it).
     */
    void debeziumConnector(ConnectWorker connect, Database database, String name) {
        add("delete connector " + name + " and its replication slot", () -> {
            Optional<JsonNode> config = connect.config(name);
            connect.delete(name);
            if (config.isEmpty()) {
                return;
            }
            database.dropSlot(config.get().path("slot.name").asText("debezium"));
            JsonNode publication = config.get().path("publication.name");
            if (publication.isTextual()) {
                database.dropPublication(publication.asText());
            }
        });
    }

    /** Deletes a sink connector, then its consumer group (connect-NAME) once its task has left it. */
    void sinkConnector(ConnectWorker connect, Workbench bench, String name) {
        add("delete sink connector " + name + " and its consumer group", () -> {
            connect.delete(name);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                try {
                    bench.broker().admin().deleteConsumerGroups(List.of("connect-" + name)).all().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (e.getCause() instanceof GroupIdNotFoundException || System.nanoTime() > deadline) {
                        return; // none, or still in use: left alone
                    }
                    ConnectWorker.sleep(200);
                }
            }
        });
    }

    void topics(Workbench bench, List<String> topics) {
        add("delete topics " + topics, () -> {
            try {
                bench.broker().admin().deleteTopics(topics).all().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Never created, or already gone.
            }
        });
    }

    void run() {
        while (!actions.isEmpty()) {
            actions.pop().run();
        }
    }
}
