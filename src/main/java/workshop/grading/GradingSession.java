package workshop.grading;

import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one grading needs: the file to grade, the stack to grade on, and the services the
 * exercise's module needs. {@link GraderLauncher} registers a session and hands its id to the
 * grader through a JUnit configuration parameter, so no grader reads global state.
 *
 * @param root the workshop root (exercises run there, as a learner runs them)
 */
public record GradingSession(String exerciseId, Path target, Path root, Stack stack, Set<Service> services, Progress progress) {

    /** The JUnit configuration parameter that carries the session id. */
    public static final String PARAMETER = "workshop.session";

    private static final Map<String, GradingSession> OPEN = new ConcurrentHashMap<>();

    String register() {
        String id = UUID.randomUUID().toString();
        OPEN.put(id, this);
        return id;
    }

    static GradingSession lookup(String id) {
        GradingSession session = OPEN.get(id);
        if (session == null) {
            throw new IllegalStateException("No grading session " + id);
        }
        return session;
    }

    static void unregister(String id) {
        OPEN.remove(id);
    }
}
