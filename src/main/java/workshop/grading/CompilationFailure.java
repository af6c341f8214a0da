package workshop.grading;

import java.util.List;

/** The exercise does not compile; the compiler's messages, each with file:line. */
public final class CompilationFailure extends GradingFailure {

    private final List<String> diagnostics;

    public CompilationFailure(String file, List<String> diagnostics) {
        super(file + " does not compile", null, String.join("\n", diagnostics),
                "Fix the first error first: later ones often follow from it.");
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<String> diagnostics() {
        return diagnostics;
    }
}
