package workshop.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The room's state, built from progress events: for each learner and exercise, passed or
 * failing, on which check, since when. Thread-safe: the feed adds, the web server reads.
 */
public final class RoomBoard {

    /** An exercise column of the board. */
    public record Column(String id, String title, String module) {
    }

    /**
     * One learner's state on one exercise.
     *
     * @param since    when it passed; or when the current run of failures began (how long the learner is stuck)
     * @param attempts gradings of this exercise so far
     */
    public record Cell(boolean passed, String check, long since, int attempts, int hints, long last) {
    }

    public record Row(String learner, long lastSeen, int passed, Map<String, Cell> cells) {
    }

    /** What the page shows, as JSON. */
    public record Snapshot(long now, int gradings, List<Column> exercises, List<Row> learners) {
    }

    private final List<Column> columns;
    private final Map<String, Map<String, Cell>> cells = new TreeMap<>();
    private final Map<String, Long> lastSeen = new TreeMap<>();
    private int gradings;

    /** @param columns the workshop's exercises in order; others seen in events are added at the end */
    public RoomBoard(List<Column> columns) {
        this.columns = new ArrayList<>(columns);
    }

    public synchronized void add(ProgressEvent event) {
        gradings++;
        lastSeen.merge(event.learner(), event.time(), Math::max);
        if (columns.stream().noneMatch(c -> c.id().equals(event.exercise()))) {
            columns.add(new Column(event.exercise(), event.exercise(), ""));
        }
        Map<String, Cell> row = cells.computeIfAbsent(event.learner(), learner -> new LinkedHashMap<>());
        Cell before = row.get(event.exercise());
        int attempts = before == null ? 1 : before.attempts() + 1;
        long since;
        if (event.passed()) {
            since = before != null && before.passed() ? before.since() : event.time(); // first pass counts
        } else {
            since = before != null && !before.passed() ? before.since() : event.time(); // stuck since the first failure of this run
        }
        row.put(event.exercise(), new Cell(event.passed(), event.passed() ? null : event.check(), since, attempts, event.hints(), event.time()));
    }

    public synchronized Snapshot snapshot(long now) {
        List<Row> rows = new ArrayList<>();
        cells.forEach((learner, row) -> rows.add(new Row(learner, lastSeen.get(learner),
                (int) row.values().stream().filter(Cell::passed).count(), Map.copyOf(row))));
        return new Snapshot(now, gradings, List.copyOf(columns), rows);
    }
}
