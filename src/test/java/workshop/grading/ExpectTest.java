package workshop.grading;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A failure whose expected and actual print the same must still show the learner the difference. */
class ExpectTest {

    @Test
    void valuesThatPrintTheSameShowTheirTypes() {
        Map<String, Object> expected = new LinkedHashMap<>(Map.of("stars", 5L));
        Map<String, Object> actual = new LinkedHashMap<>(Map.of("stars", "5"));
        GradingFailure failure = assertThrows(GradingFailure.class, () -> Expect.equal("differs", expected, actual, "hint"));
        assertEquals("{stars=5 (Long)}", failure.expected());
        assertEquals("{stars=5 (String)}", failure.actual());
    }

    @Test
    void valuesThatPrintDifferentlyStayPlain() {
        GradingFailure failure = assertThrows(GradingFailure.class, () -> Expect.equal("differs", 4, 5, "hint"));
        assertEquals("4", failure.expected());
        assertEquals("5", failure.actual());
    }
}
