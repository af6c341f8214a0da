package workshop.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A program that still prints at its deadline is still working: it may finish; a silent one is stopped. */
@DisabledOnOs(OS.WINDOWS) // uses sh
class RunningProgramTest {

    @Test
    void aProgramStillPrintingAtItsDeadlineMayFinish() throws Exception {
        RunningProgram program = new RunningProgram("printer", new ProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 0.3; done").start());
        ProgramRun run = program.await(Duration.ofSeconds(1));
        assertFalse(run.timedOut(), "stopped although it kept printing: " + run.stdout());
        assertEquals(0, run.exitCode());
        assertEquals(8, run.stdout().size());
    }

    @Test
    void aSilentProgramIsStoppedAfterItsDeadline() throws Exception {
        RunningProgram program = new RunningProgram("sleeper", new ProcessBuilder("sh", "-c", "echo started; sleep 600").start());
        ProgramRun run = program.await(Duration.ofSeconds(1));
        assertTrue(run.timedOut());
        assertEquals(List.of("started"), run.stdout());
        assertTrue(run.took().compareTo(Duration.ofSeconds(120)) < 0, "took " + run.took());
    }

    @Test
    void aProgramThatRunsOnAfterItsLastLineIsStoppedLongBeforeItsDeadline() throws Exception {
        RunningProgram program = new RunningProgram("poller", new ProcessBuilder("sh", "-c", "echo 0; echo 1; echo 2; sleep 600").start());
        ProgramRun run = program.await(Duration.ofSeconds(300), line -> line.equals("2"));
        assertTrue(run.timedOut());
        assertEquals(List.of("0", "1", "2"), run.stdout());
        // Its 5 s after the last line, stretched on a busy machine (at most x6), not its 300 s.
        assertTrue(run.took().compareTo(Duration.ofSeconds(60)) < 0, "took " + run.took());
    }

    @Test
    void aProgramThatEndsAfterItsLastLineEndsAsUsual() throws Exception {
        RunningProgram program = new RunningProgram("reader", new ProcessBuilder("sh", "-c", "echo 0; echo 1; sleep 1; exit 3").start());
        ProgramRun run = program.await(Duration.ofSeconds(300), line -> line.equals("1"));
        assertFalse(run.timedOut(), "stopped although it ended a second after its last line");
        assertEquals(3, run.exitCode());
    }
}
