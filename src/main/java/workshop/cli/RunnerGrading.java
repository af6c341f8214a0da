package workshop.cli;


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
        services.addAll(context.manifest().moduleOf(exercise).servicesFor(exercise));
        return services;
    }

    /** A learner's exercise file that is gone: say so, and how to get it back. */
    static void requireFile(WorkshopContext context, Exercise exercise) {
        Path file = exercise.exerciseFile(context.root());
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new workshop.WorkshopException(context.relative(file) + " is missing: ./jbang workshop reset " + exercise.id()
                    + " restores it as shipped.");
        }
    }

    /** No ksqlDB for a ksqlDB exercise: the same one line, naming the Kafka Streams twin to do instead. */
    static workshop.stack.StackException offerTwin(workshop.stack.StackException e, java.util.List<Exercise> exercises) {
        return exercises.stream().filter(x -> x.ksqldb() && x.twin() != null).findFirst()
                .map(x -> new workshop.stack.StackException(e.getMessage().replaceAll("\\.$", "") + ": ./jbang workshop check " + x.twin(), e))
                .orElse(e);
    }

    /** Grades, prints the report, and records a pass in the learner's progress (learner files only). */
    static GradeResult gradeAndReport(WorkshopContext context, Stack stack, Exercise exercise, Path file, boolean learnerFile) {
        Terminal terminal = context.terminal();
        if (learnerFile) {
            requireFile(context, exercise);
        }
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
