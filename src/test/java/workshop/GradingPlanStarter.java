package workshop;

import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;

/**
 * Starts the suite's gradings as soon as the test run begins, for the grading test classes this
 * run includes (none for {@code -Dtest=ManifestTest}), so that they run beside the other test
 * classes instead of after them. Registered in META-INF/services.
 */
public final class GradingPlanStarter implements TestExecutionListener {

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        Set<GradingPlan.Kind> kinds = EnumSet.noneOf(GradingPlan.Kind.class);
        Deque<TestIdentifier> pending = new ArrayDeque<>(plan.getRoots());
        while (!pending.isEmpty()) {
            TestIdentifier test = pending.pop();
            test.getSource().filter(ClassSource.class::isInstance).map(source -> ((ClassSource) source).getClassName())
                    .ifPresent(name -> Arrays.stream(GradingPlan.Kind.values())
                            .filter(kind -> kind.testClass.getName().equals(name)).forEach(kinds::add));
            pending.addAll(plan.getChildren(test));
        }
        if (!kinds.isEmpty()) {
            System.out.println("[grading] " + kinds.size() + " kinds of gradings start now, " + GradingPlan.SLOTS + " at once (more while the cores idle), beside the other tests");
            Thread starter = new Thread(() -> GradingPlan.start(kinds), "grading plan");
            starter.setDaemon(true);
            starter.start();
        }
    }
}
