package workshop.room;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How gradings become the board's cells: who is stuck on which check, since when. */
class RoomBoardTest {

    private static final List<RoomBoard.Column> COLUMNS = List.of(new RoomBoard.Column("log1", "Append", "The log"),
            new RoomBoard.Column("log2", "Read", "The log"));

    @Test
    void aLearnerIsStuckSinceTheFirstFailureOfTheRunAndAPassEndsIt() {
        RoomBoard board = new RoomBoard(COLUMNS);
        board.add(failed("alice", "log1", "records in order", 1_000));
        board.add(failed("alice", "log1", "every record arrives", 61_000));
        RoomBoard.Cell stuck = board.snapshot(100_000).learners().get(0).cells().get("log1");
        assertFalse(stuck.passed());
        assertEquals("every record arrives", stuck.check(), "the check failing now");
        assertEquals(1_000, stuck.since(), "stuck since the first failure");
        assertEquals(2, stuck.attempts());

        board.add(new ProgressEvent("alice", "log1", true, null, 2, 121_000, 900, false));
        RoomBoard.Cell passed = board.snapshot(130_000).learners().get(0).cells().get("log1");
        assertTrue(passed.passed());
        assertNull(passed.check());
        assertEquals(121_000, passed.since());
        assertEquals(2, passed.hints());
        assertEquals(1, board.snapshot(0).learners().get(0).passed());
    }

    @Test
    void learnersAreSortedAndUnknownExercisesGetAColumn() {
        RoomBoard board = new RoomBoard(COLUMNS);
        board.add(failed("zoe", "log2", "x", 5));
        board.add(failed("bob", "streams1", "y", 6));
        RoomBoard.Snapshot snapshot = board.snapshot(10);
        assertEquals(List.of("bob", "zoe"), snapshot.learners().stream().map(RoomBoard.Row::learner).toList());
        assertEquals(List.of("log1", "log2", "streams1"), snapshot.exercises().stream().map(RoomBoard.Column::id).toList());
        assertEquals(2, snapshot.gradings());
    }

    @Test
    void strayRecordsOnTheTopicAreIgnored() {
        assertTrue(ProgressEvent.fromJson("not json").isEmpty());
        assertTrue(ProgressEvent.fromJson("{\"learner\":\"a\"}").isEmpty());
        ProgressEvent event = failed("alice", "log1", "records in order", 7);
        assertEquals(event, ProgressEvent.fromJson(event.toJson()).orElseThrow());
    }

    static ProgressEvent failed(String learner, String exercise, String check, long time) {
        return new ProgressEvent(learner, exercise, false, check, 0, time, 1500, false);
    }
}
