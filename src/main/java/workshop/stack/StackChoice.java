package workshop.stack;

import workshop.stack.background.StackState;
import workshop.stack.external.ExternalStack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which stack {@code auto} uses, decided in this one place, with the reason in words: the runner
 * grades on it, {@code doctor} shows it. In this order: an external stack if one is configured
 * (BOOTSTRAP_SERVERS or stack.properties); the background stack if it runs; a Kafka that
 * already answers at the workshop's port (the docker-compose stack); else a new background stack.
 * Starts nothing.
 *
 * @param external   the configured external stack, when {@code kind} is EXTERNAL
 * @param background the running background stack's state, when {@code kind} is BACKGROUND
 */
public record StackChoice(Kind kind, String reason, Optional<ExternalStack> external, Optional<StackState> background) {

    public enum Kind { EXTERNAL, BACKGROUND, LISTENING, NEW_BACKGROUND }

    public static StackChoice auto(Path root, Path stateDir, Map<String, String> environment) {
        Optional<ExternalStack> external = ExternalStack.configured(root, environment);
        if (external.isPresent()) {
            return new StackChoice(Kind.EXTERNAL, "the external stack at " + external.get().endpoints().bootstrapServers(),
                    external, Optional.empty());
        }
        Optional<StackState> background = StackState.readLive(stateDir);
        if (background.isPresent()) {
            return new StackChoice(Kind.BACKGROUND, "the background stack (pid " + background.get().pid() + ")", Optional.empty(), background);
        }
        if (Reachability.answers("localhost", Ports.KAFKA.port())) {
            return new StackChoice(Kind.LISTENING, "the Kafka already listening at localhost:" + Ports.KAFKA.port() + " (docker-compose?)",
                    Optional.empty(), Optional.empty());
        }
        return new StackChoice(Kind.NEW_BACKGROUND, "a new background stack (embedded, started on first check)", Optional.empty(), Optional.empty());
    }
}
