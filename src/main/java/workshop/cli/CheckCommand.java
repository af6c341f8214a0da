package workshop.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import workshop.Workshop;
import workshop.grading.GradeResult;
import workshop.manifest.Exercise;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code check <id>} grades one exercise; {@code check --all} grades them all in order. Exit code
 * 0 when everything graded passes, 1 otherwise. With {@code --solution} it grades the reference
 * solutions instead: the instructor's pre-flight check of a room's stack.
 */
@Command(name = "check", description = "Grade an exercise (or --all) against the stack.")
public final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "<id>", description = "The exercise to grade, e.g. log1.")
        String id;

        @Option(names = "--all", description = "Grade every exercise, in workshop order.")
        boolean all;
    }

    @Option(names = "--solution", description = "Grade the reference solution instead of your exercise (pre-flight check).")
    boolean solution;

    @Override
    public Integer call() {
        WorkshopContext context = workshop.context();
        List<Exercise> exercises = which.all ? context.manifest().availableExercises()
                : List.of(context.exercise(which.id, spec.commandLine()));
        if (!solution) {
            exercises.forEach(exercise -> RunnerGrading.requireFile(context, exercise)); // before any stack starts
        }
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        exercises.forEach(e -> services.addAll(RunnerGrading.services(context, e)));
        try (Stack stack = workshop.stack(context, services)) {
            try {
                stack.start(services, context.terminal()::progress); // a stack that is down: one line, before any grading
            } catch (workshop.stack.StackException e) {
                throw RunnerGrading.offerTwin(e, exercises);
            }
            List<String> failed = new ArrayList<>();
            for (Exercise exercise : exercises) {
                Path file = solution ? exercise.solutionFile(context.root()) : exercise.exerciseFile(context.root());
                GradeResult result = RunnerGrading.gradeAndReport(context, stack, exercise, file, !solution);
                if (!result.passed()) {
                    failed.add(exercise.id());
                }
                context.terminal().println();
            }
            if (exercises.size() > 1) {
                context.terminal().println(failed.isEmpty()
                        ? "@|green,bold All " + exercises.size() + " exercises pass.|@"
                        : "@|yellow " + (exercises.size() - failed.size()) + " of " + exercises.size() + " pass; not yet: "
                        + String.join(", ", failed) + "|@");
            }
            if (!solution) {
                context.terminal().print(context.terminal().bar(context.doneCount(), context.manifest().availableExercises().size()));
            }
            return failed.isEmpty() ? 0 : 1;
        }
    }
}
