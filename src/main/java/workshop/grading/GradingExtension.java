package workshop.grading;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import workshop.WorkshopRoot;
import workshop.manifest.Exercise;
import workshop.manifest.Manifest;
import workshop.stack.Progress;
import workshop.stack.Stacks;

import java.util.EnumSet;
import java.util.HashSet;

/**
 * Connects a {@link Grader} class to its grading session: starts the services its module needs
 * and hands its methods a {@link Workbench}.
 */
final class GradingExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GradingExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        GradingSession session = session(context);
        Workbench workbench = new Workbench(session); // starts compiling while the stack starts
        context.getStore(NAMESPACE).put(Workbench.class, workbench);
        session.stack().start(session.services(), session.progress());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Workbench.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(Workbench.class, Workbench.class);
    }

    private static GradingSession session(ExtensionContext context) {
        return context.getConfigurationParameter(GradingSession.PARAMETER)
                .map(GradingSession::lookup)
                .orElseGet(() -> standaloneSession(context));
    }

    /** A grader run on its own (from an IDE, say) grades the solution on the shared test stack. */
    private static GradingSession standaloneSession(ExtensionContext context) {
        String graderClass = context.getRequiredTestClass().getName();
        var root = WorkshopRoot.find();
        Manifest manifest = Manifest.load(root.resolve(Manifest.FILE_NAME));
        Exercise exercise = manifest.exercises().stream().filter(e -> e.grader().equals(graderClass)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No exercise in " + Manifest.FILE_NAME + " is graded by " + graderClass));
        var services = EnumSet.noneOf(workshop.stack.Service.class);
        services.addAll(manifest.moduleOf(exercise).servicesFor(exercise));
        return new GradingSession(exercise.id(), exercise.solutionFile(root), root, Stacks.shared(), services,
                Progress.silent());
    }
}
