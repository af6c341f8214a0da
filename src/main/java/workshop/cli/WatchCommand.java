package workshop.cli;

import org.apache.commons.io.monitor.FileAlterationListenerAdaptor;
import org.apache.commons.io.monitor.FileAlterationMonitor;
import org.apache.commons.io.monitor.FileAlterationObserver;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.manifest.Exercise;
import workshop.stack.Stack;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The learner's loop, as in rustlings: grade the current exercise, then grade it again each time
 * the file is saved, and move on to the next one when it passes. Saves are seen by polling the
 * file (twice a second), which also works where file events do not (WSL2 on a Windows drive,
 * network folders). Keys: h (hint), l (list), Enter (grade again), q (quit); in a terminal
 * a key alone does it, elsewhere a line (the key, then Enter).
 */
@Command(name = "watch", description = "Grade the current exercise on every save, and move on when it passes (the default).")
public final class WatchCommand implements Callable<Integer> {

    private static final long POLL_MILLIS = 500;

    @ParentCommand
    Workshop workshop;

    private enum Event { SAVED, CHECK, HINT, LIST, QUIT }

    /** For the runner's default command, which is this one. */
    public void workshop(Workshop parent) {
        this.workshop = parent;
    }

    @Override
    public Integer call() throws Exception {
        WorkshopContext context = workshop.context();
        Terminal terminal = context.terminal();
        Optional<Exercise> first = context.current();
        if (first.isEmpty()) {
            terminal.println("@|green,bold Every exercise passes. Well done!|@ (./jbang workshop list)");
            return 0;
        }
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        startKeyboard(events);
        try (Stack stack = workshop.stack(context, RunnerGrading.services(context, first.get()))) {
            stack.start(RunnerGrading.services(context, first.get()), terminal::progress);
            Exercise exercise = first.get();
            while (true) {
                Path file = exercise.exerciseFile(context.root());
                intro(context, exercise);
                // One watch for the whole exercise: a save during grading or while a hint prints is not missed.
                FileAlterationMonitor watch = watch(file, events);
                try {
                    if (!gradeUntilPass(context, stack, exercise, file, events)) {
                        terminal.println("Bye! Your progress is saved; run ./jbang workshop to continue.");
                        return 0;
                    }
                } finally {
                    watch.stop(0);
                    events.removeIf(e -> e == Event.SAVED);
                }
                Optional<Exercise> next = context.current();
                terminal.println();
                terminal.println("@|green,bold " + exercise.id() + " passes!|@ " + terminal.bar(context.doneCount(), context.manifest().availableExercises().size()));
                if (next.isEmpty()) {
                    terminal.println("@|green,bold That was the last exercise written so far. Well done!|@");
                    return 0;
                }
                exercise = next.get();
            }
        }
    }

    /**
     * Grades the exercise, then again after every save or Enter, until it passes.
     *
     * @return false when the learner quit first
     */
    private static boolean gradeUntilPass(WorkshopContext context, Stack stack, Exercise exercise, Path file,
                                          BlockingQueue<Event> events) throws InterruptedException {
        Terminal terminal = context.terminal();
        while (true) {
            if (RunnerGrading.gradeAndReport(context, stack, exercise, file, true).passed()) {
                return true;
            }
            Event event;
            do {
                prompt(terminal);
                event = nextEvent(events);
                if (event == Event.HINT) {
                    HintCommand.show(context, exercise, false);
                } else if (event == Event.LIST) {
                    ListCommand.print(context);
                }
            } while (event == Event.HINT || event == Event.LIST);
            if (event == Event.QUIT) {
                return false;
            }
        }
    }

    private static void intro(WorkshopContext context, Exercise exercise) {
        Terminal terminal = context.terminal();
        terminal.println();
        terminal.println("@|bold,underline " + Terminal.escape(context.describe(exercise)) + "|@");
        terminal.println("  " + Terminal.escape(exercise.summary()));
        terminal.println("  Edit:  @|bold " + Terminal.escape(context.relative(exercise.exerciseFile(context.root())).toString()) + "|@"
                + "   Guide: " + Terminal.escape(context.manifest().moduleOf(exercise).guide()));
    }

    private static void prompt(Terminal terminal) {
        terminal.println(System.console() != null
                ? "@|faint Save the file to grade it again. Keys: h hint, l list, Enter grade now, q quit.|@"
                : "@|faint Save the file to grade it again. Type h + Enter for a hint, l for the list, Enter to grade now, q to quit.|@");
    }

    /** Watches the file (polling, so saves are seen on any file system) and reports saves as events. */
    private static FileAlterationMonitor watch(Path file, BlockingQueue<Event> events) throws Exception {
        FileAlterationObserver observer = FileAlterationObserver.builder()
                .setFile(file.getParent().toFile())
                .setFileFilter(f -> f.getName().equals(file.getFileName().toString()))
                .get();
        observer.addListener(new FileAlterationListenerAdaptor() {
            @Override
            public void onFileChange(File changed) {
                events.add(Event.SAVED);
            }

            @Override
            public void onFileCreate(File created) {
                events.add(Event.SAVED); // editors that save by writing a new file and renaming it
            }
        });
        FileAlterationMonitor monitor = new FileAlterationMonitor(POLL_MILLIS, observer);
        monitor.start();
        return monitor;
    }

    /** The next save or typed command; saves that come in a burst count once. */
    private static Event nextEvent(BlockingQueue<Event> events) throws InterruptedException {
        Event event = events.take();
        if (event == Event.SAVED) {
            Thread.sleep(200); // editors often write a file in several steps: let them finish
            events.removeIf(e -> e == Event.SAVED);
        }
        return event;
    }

    /**
     * Reads commands on a thread of its own, so that a save can interrupt the wait: single keys in
     * a terminal (no Enter needed), whole lines where there is none (input from a pipe or an IDE).
     */
    private static void startKeyboard(BlockingQueue<Event> events) {
        Thread keyboard = new Thread(() -> {
            if (System.console() == null || !readKeys(events)) {
                readLines(events);
            }
        }, "keyboard");
        keyboard.setDaemon(true);
        keyboard.start();
    }

    /** @return false when this terminal cannot give single keys */
    private static boolean readKeys(BlockingQueue<Event> events) {
        org.jline.terminal.Terminal terminal;
        try {
            terminal = TerminalBuilder.builder().system(true).dumb(false).build();
        } catch (IOException | RuntimeException e) {
            return false;
        }
        terminal.enterRawMode(); // the terminal's settings come back when the JVM exits (JLine's shutdown hook)
        try {
            int key;
            while ((key = terminal.reader().read()) >= 0) {
                Event event = switch (Character.toLowerCase((char) key)) {
                    case 'h' -> Event.HINT;
                    case 'l' -> Event.LIST;
                    case 'q' -> Event.QUIT;
                    case '\r', '\n', ' ', 'c' -> Event.CHECK;
                    default -> null;
                };
                if (event != null) {
                    events.add(event);
                }
            }
        } catch (IOException e) {
            // The terminal is gone: saves still work.
        }
        return true;
    }

    private static void readLines(BlockingQueue<Event> events) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim().toLowerCase()) {
                    case "h", "hint" -> events.add(Event.HINT);
                    case "l", "list" -> events.add(Event.LIST);
                    case "q", "quit", "exit" -> events.add(Event.QUIT);
                    default -> events.add(Event.CHECK);
                }
            }
        } catch (IOException e) {
            // No keyboard (input closed): saves still work.
        }
    }
}
