package workshop.grading;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs one grader class on the JUnit Platform against one file and collects what the learner
 * needs to see. The runner grades learners' exercises with it; the tests grade the solutions,
 * the shipped exercises and the known mistakes with it: one path for all.
 */
public final class GraderLauncher {

    private GraderLauncher() {
    }

    public static GradeResult grade(GradingSession session, String graderClass) {
        long started = System.nanoTime();
        String id = session.register();
        try {
            LauncherDiscoveryRequest request = request()
                    .selectors(selectClass(graderClass))
                    .configurationParameter(GradingSession.PARAMETER, id)
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                    .build();
            Collector collector = new Collector();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, collector);
            return new GradeResult(session.exerciseId(), session.target(), collector.checks(), collector.setupFailure,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            GradingSession.unregister(id);
        }
    }

    /** Keeps every check in the grader's order, with its outcome. */
    private static final class Collector implements TestExecutionListener {
        private final Map<String, CheckResult> checks = new LinkedHashMap<>();
        private final Map<String, List<String>> notes = new LinkedHashMap<>();
        private Throwable setupFailure;
        private boolean sawGrader;

        @Override
        public void testPlanExecutionStarted(TestPlan plan) {
            plan.getRoots().forEach(root -> collect(plan, root));
        }

        private void collect(TestPlan plan, TestIdentifier identifier) {
            if (identifier.isTest()) {
                checks.put(identifier.getUniqueId(), new CheckResult(identifier.getDisplayName(), CheckResult.Status.NOT_RUN, null, null));
            }
            if (identifier.getSource().orElse(null) instanceof ClassSource) {
                sawGrader = true;
            }
            plan.getChildren(identifier).forEach(child -> collect(plan, child));
        }

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            Throwable failure = result.getThrowable().orElse(null);
            if (identifier.isTest()) {
                CheckResult.Status status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL
                        ? CheckResult.Status.PASSED : CheckResult.Status.FAILED;
                checks.put(identifier.getUniqueId(), new CheckResult(identifier.getDisplayName(), status, failure,
                        notes.get(identifier.getUniqueId())));
            } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && setupFailure == null) {
                setupFailure = failure != null ? failure : new IllegalStateException(identifier.getDisplayName() + " failed");
            }
        }

        /** A grader's TestReporter.publishEntry: a note on the check, shown to the learner. */
        @Override
        public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
            entry.getKeyValuePairs().forEach((key, value) ->
                    notes.computeIfAbsent(identifier.getUniqueId(), id -> new ArrayList<>()).add(value));
        }

        List<CheckResult> checks() {
            if (!sawGrader && setupFailure == null) {
                setupFailure = new IllegalStateException("The grader class was not found or has no checks");
            }
            return new ArrayList<>(checks.values());
        }
    }
}
