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
}
