package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.WorkshopException;
import workshop.room.BoardServer;
import workshop.room.ProgressFeed;
import workshop.room.RoomBoard;
import workshop.room.RoomSettings;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code room}: the instructor's live board. Reads every learner's gradings from the room's
 * progress topic and serves a page that shows, learner by exercise, who passed and who is stuck
 * on which check, and for how long. Runs until Ctrl-C.
 */
@Command(name = "room", description = "The instructor's live progress board of a room (reads " + RoomSettings.PROGRESS_TOPIC + ").")
public final class RoomCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Option(names = "--port", defaultValue = "7070", description = "Port of the board's page (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "localhost", description = "Address to serve on (default: ${DEFAULT-VALUE}; 0.0.0.0 to show it to others).")
    String bind;

    @Option(names = "--topic", defaultValue = RoomSettings.PROGRESS_TOPIC, description = "The progress topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws Exception {
        WorkshopContext context = workshop.context();
        List<RoomBoard.Column> columns = context.manifest().availableExercises().stream()
                .map(e -> new RoomBoard.Column(e.id(), e.title(), context.manifest().moduleOf(e).title())).toList();
        RoomBoard board = new RoomBoard(columns);
        EnumSet<Service> services = EnumSet.of(Service.KAFKA);
        try (Stack stack = workshop.stack(context, services)) {
            stack.start(services, context.terminal()::progress);
            BoardServer server;
            try {
                server = BoardServer.start(board, bind, port);
            } catch (IOException e) {
                throw new WorkshopException("Cannot serve the board on " + bind + ":" + port + " (" + e.getMessage() + "): choose another with --port.");
            }
            try (server; ProgressFeed feed = ProgressFeed.start(stack.endpoints(), topic, board, server::changed)) {
                context.terminal().println("@|bold Room board:|@ http://" + ("0.0.0.0".equals(bind) ? "localhost" : bind) + ":" + server.port() + "/");
                context.terminal().println("@|faint Reading " + Terminal.escape(topic) + " at " + Terminal.escape(stack.endpoints().bootstrapServers())
                        + ". Ctrl-C to stop.|@");
                new CountDownLatch(1).await(); // until Ctrl-C ends the JVM
            }
        }
        return 0;
    }
}
