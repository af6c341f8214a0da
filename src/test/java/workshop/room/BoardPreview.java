package workshop.room;

import workshop.manifest.Manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Serves the board filled with a made-up room (twelve learners, modules 0 to 5), to look at
 * the page while changing it: {@code java ... workshop.room.BoardPreview [port]}, then open
 * http://localhost:<port>/. No Kafka needed.
 */
public final class BoardPreview {

    private static final List<String> CHECKS = List.of("records sit at consecutive offsets from 0, in file order",
            "a new reader starts at the beginning of the log", "the topics have the asked shape",
            "every record of a key is in one partition", "after a crash nothing is missing", "the file compiles");

    private BoardPreview() {
    }

    public static void main(String[] args) throws Exception {
        Manifest manifest = Manifest.load(Path.of(Manifest.FILE_NAME));
        List<RoomBoard.Column> columns = manifest.availableExercises().stream()
                .filter(e -> manifest.moduleOf(e).number() <= 5)
                .map(e -> new RoomBoard.Column(e.id(), e.title(), manifest.moduleOf(e).title())).toList();
        RoomBoard board = new RoomBoard(columns);
        Random random = new Random(42);
        long now = System.currentTimeMillis();
        List<String> learners = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar");
        for (String learner : learners) {
            int reached = 3 + random.nextInt(columns.size() - 3);
            for (int i = 0; i < reached; i++) {
                String exercise = columns.get(i).id();
                long at = now - (reached - i) * 4 * 60_000L;
                boolean last = i == reached - 1;
                if (last && random.nextInt(3) > 0) {
                    long stuckFor = (1 + random.nextInt(14)) * 60_000L;
                    board.add(new ProgressEvent(learner, exercise, false, CHECKS.get(random.nextInt(CHECKS.size())),
                            random.nextInt(3), now - stuckFor, 1500, false));
                    board.add(new ProgressEvent(learner, exercise, false, CHECKS.get(random.nextInt(CHECKS.size())),
                            random.nextInt(3), now - 30_000, 1500, false));
                } else {
                    board.add(new ProgressEvent(learner, exercise, true, null, random.nextInt(2), at, 1200, false));
                }
            }
        }
        BoardServer server = BoardServer.start(board, "localhost", args.length > 0 ? Integer.parseInt(args[0]) : 7070);
        System.out.println("Board preview: http://localhost:" + server.port() + "/ (Ctrl-C to stop)");
        Thread.currentThread().join();
    }
}
