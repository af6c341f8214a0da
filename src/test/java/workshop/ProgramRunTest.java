package workshop;

import org.junit.jupiter.api.Test;
import workshop.grading.GradingFailure;
import workshop.grading.ProgramRun;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A crashed exercise is reported by its exception, its causes and its own lines, not by the trace's tail. */
class ProgramRunTest {

    @Test
    void aCrashShowsTheExceptionItsCauseAndTheLearnersLine() {
        List<String> stderr = List.of(
                "Exception in thread \"main\" java.lang.IllegalStateException: boom",
                "\tat AppendRatings.send(AppendRatings.java:41)",
                "\tat AppendRatings.main(AppendRatings.java:33)",
                "Caused by: java.lang.RuntimeException: inner cause",
                "\tat org.apache.kafka.clients.producer.KafkaProducer.send(KafkaProducer.java:901)",
                "\t... 9 more");
        ProgramRun run = new ProgramRun("AppendRatings.java", 1, false, Duration.ofSeconds(1), List.of(), stderr);
        GradingFailure failure = assertThrows(GradingFailure.class, () -> run.expectSuccess("unused"));
        String actual = failure.actual();
        assertTrue(actual.contains("IllegalStateException: boom"), actual);
        assertTrue(actual.contains("at AppendRatings.main(AppendRatings.java:33)"), actual);
        assertTrue(actual.contains("Caused by: RuntimeException: inner cause"), "package names go, the class stays: " + actual);
        assertFalse(actual.contains("Exception in thread"), actual);
        assertTrue(actual.lines().allMatch(line -> !line.startsWith("   ")), "indented by the report only, not twice: " + actual);
        assertFalse(actual.contains("9 more"), actual);
        assertFalse(actual.contains("KafkaProducer.java"), actual);
    }

    @Test
    void withoutAnExceptionTheLastLinesAreShown() {
        ProgramRun run = new ProgramRun("X.java", 3, false, Duration.ofSeconds(1), List.of(), List.of("line 1", "usage: X <file>"));
        GradingFailure failure = assertThrows(GradingFailure.class, () -> run.expectSuccess("unused"));
        assertTrue(failure.actual().contains("usage: X <file>"), failure.actual());
        assertEquals("exit code 0", failure.expected());
    }
}
