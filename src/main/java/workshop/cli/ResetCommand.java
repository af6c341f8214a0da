package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import workshop.Workshop;
import workshop.manifest.Exercise;
import workshop.WorkshopException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code reset <id>}: puts an exercise back as the workshop shipped it (git's committed version),
 * after copying the learner's file to .workshop/backups/, so nothing is ever lost.
 */
@Command(name = "reset", description = "Restore an exercise as shipped; your version is kept in .workshop/backups/.")
public final class ResetCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<id>", description = "The exercise to reset, e.g. log1.")
    String id;

    @Override
    public Integer call() {
        WorkshopContext context = workshop.context();
        Exercise exercise = context.exercise(id, spec.commandLine());
        Path file = exercise.exerciseFile(context.root());
        String relative = context.root().relativize(file).toString().replace('\\', '/');
        byte[] shipped = shippedVersion(context.root(), relative);
        try {
            if (Files.exists(file)) {
                if (java.util.Arrays.equals(Files.readAllBytes(file), shipped)) {
                    context.terminal().println(relative + " is already as shipped: nothing to reset.");
                    return 0;
                }
                Path backup = backUp(context, exercise, file);
                context.terminal().println("Your version is saved as @|bold " + Terminal.escape(context.relative(backup).toString()) + "|@");
            }
            Path temporary = Files.createTempFile(file.getParent(), "reset", ".tmp");
            try {
                Files.write(temporary, shipped);
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new WorkshopException("Cannot write " + relative + " (" + reason(e) + "): check that the file and its folder"
                    + " are writable (not read-only, not open in a program that locks it), then run reset again.");
        }
        context.progress().markNotDone(exercise.id());
        context.terminal().println("@|green Reset|@ " + Terminal.escape(relative) + " to the version the workshop shipped.");
        return 0;
    }

    /**
     * Copies the learner's file to .workshop/backups/, unless the newest backup of this exercise
     * holds the same content already: a reset that failed and is tried again keeps one backup.
     */
    private static Path backUp(WorkshopContext context, Exercise exercise, Path file) throws IOException {
        Path backups = Files.createDirectories(context.stateDir().resolve("backups"));
        String prefix = exercise.id() + "-";
        String suffix = "-" + file.getFileName();
        byte[] content = Files.readAllBytes(file);
        try (var existing = Files.list(backups)) {
            Optional<Path> newest = existing.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).max(Comparator.comparing(p -> p.getFileName().toString()));
            if (newest.isPresent() && java.util.Arrays.equals(Files.readAllBytes(newest.get()), content)) {
                return newest.get();
            }
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = backups.resolve(prefix + stamp + suffix);
        Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
        return backup;
    }

    /** "permission denied", "read-only file system", ...: what the operating system said, without the exception's name. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The committed version of the file, from git. */
    private static byte[] shippedVersion(Path root, String relative) {
        try {
            Process git = new ProcessBuilder("git", "show", "HEAD:" + relative).directory(root.toFile()).start();
            byte[] content;
            try (InputStream in = git.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                content = out.toByteArray();
            }
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                throw new WorkshopException("git has no committed version of " + relative + ": is this folder a git clone of the workshop?");
            }
            return content;
        } catch (IOException e) {
            throw new WorkshopException("reset needs git on the PATH, to take the shipped version of " + relative + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkshopException("Interrupted");
        }
    }
}
