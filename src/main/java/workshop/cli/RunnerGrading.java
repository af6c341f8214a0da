package workshop.cli;

import workshop.grading.GradeReport;
import workshop.grading.GradeResult;
import workshop.grading.GraderLauncher;
import workshop.grading.GradingSession;
import workshop.manifest.Exercise;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Grades a learner's file as the tests grade the solutions, then tells the learner how it went. */
final class RunnerGrading {

    private RunnerGrading() {
    }

    static Set<Service> services(WorkshopContext context, Exercise exercise) {
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        services.addAll(context.manifest().moduleOf(exercise).services());
        return services;
    }

    /** Grades, prints the report, and records a pass in the learner's progress (learner files only). */
    static GradeResult gradeAndReport(WorkshopContext context, Stack stack, Exercise exercise, Path file, boolean learnerFile) {
        Terminal terminal = context.terminal();
        terminal.println("@|faint Grading " + Terminal.escape(context.relative(file).toString()) + "...|@");
        GradingSession session = new GradingSession(exercise.id(), file, context.root(), stack,
                services(context, exercise), terminal::progress);
        GradeResult result = GraderLauncher.grade(session, exercise.grader());
        terminal.print(new GradeReport(terminal.ansi()).render(result, context.describe(exercise)));
        workshop.room.ProgressPublisher.report(context.root(), context.stateDir(), stack.endpoints(), result, // room mode: the instructor's board
                context.progress().hintsShown(exercise.id()), !learnerFile, line -> terminal.println("@|faint " + Terminal.escape(line) + "|@"));
        if (learnerFile) {
            if (result.passed()) {
                context.progress().markDone(exercise.id());
            } else {
                context.progress().markNotDone(exercise.id());
            }
        }
        return result;
    }
}
