package workshop.stack;

import workshop.stack.containers.ContainerStack;
import workshop.stack.embedded.EmbeddedStack;
import workshop.stack.external.ExternalStack;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a backend. Automatic: external if one is configured, else Testcontainers if a Docker
 * engine answers, else embedded. The system property or environment variable
 * {@code workshop.stack} / {@code WORKSHOP_STACK} overrides it: embedded, testcontainers,
 * external or auto.
 */
public final class Stacks {

    public static final String PROPERTY = "workshop.stack";
    public static final String VARIABLE = "WORKSHOP_STACK";

    private static Stack shared;

    private Stacks() {
    }

    /** The backend asked for by property or environment, "auto" when none is. */
    public static String requested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(VARIABLE);
        }
        return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A new, not yet started stack of the requested backend. Embedded stacks created here use
     * free ports, so they never collide with a learner's running stack.
     */
    public static Stack create(String backend, Path root, Map<String, String> environment) {
        return switch (backend) {
            case "embedded" -> EmbeddedStack.onFreePorts();
            case "testcontainers" -> new ContainerStack();
            case "external" -> ExternalStack.configured(root, environment).orElseThrow(() -> new StackException(
                    "WORKSHOP_STACK=external, but no external stack is configured: set BOOTSTRAP_SERVERS "
                            + "(and CONNECT_URL, ...) or write " + ExternalStack.PROPERTIES_FILE + " in " + root + "."));
            case "auto" -> ExternalStack.configured(root, environment)
                    .map(Stack.class::cast)
                    .orElseGet(() -> ContainerStack.dockerAvailable() ? new ContainerStack() : EmbeddedStack.onFreePorts());
            default -> throw new StackException("Unknown stack backend '" + backend
                    + "'; choose one of: auto, embedded, testcontainers, external.");
        };
    }

    /**
     * The one stack shared by every grader in this JVM (tests), created on first use and closed
     * when the JVM exits. Isolation comes from names, not from restarts.
     */
    public static synchronized Stack shared() {
        if (shared == null) {
            Stack stack = create(requested(), workshop.WorkshopRoot.find(), System.getenv());
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "workshop-stack-shutdown"));
            shared = stack;
        }
        return shared;
    }
}
