package workshop.room;

import workshop.WorkshopException;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Room mode: who grades, when a class shares one cluster. With {@code WORKSHOP_LEARNER=alice},
 * every topic, group id, transactional id, connector and subject that an exercise or a grader
 * creates starts with {@code alice.}, so thirty learners grade side by side without collisions,
 * and an instructor can grant each one ACLs on their own prefix only.
 */
public final class Learner {

    /** The environment variable (runner and exercises alike). */
    public static final String VARIABLE = "WORKSHOP_LEARNER";
    /** The same as a system property, for a JVM that grades for a learner other than its environment's. */
    public static final String PROPERTY = "workshop.learner";
    /** Between the learner's name and a resource's own name: alice.ratings. */
    public static final String SEPARATOR = ".";

    /**
     * Lower-case letters, digits and dashes: valid in every Kafka name, in ksqlDB identifiers once
     * dashes become underscores, and in a principal's name.
     */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private Learner() {
    }

    /** The learner's name, if the runner grades for one. */
    public static Optional<String> name() {
        String name = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        name = name.trim();
        if (!NAME.matcher(name).matches()) {
            throw new WorkshopException(VARIABLE + "='" + name + "' is not a valid learner name: use 1 to 32 lower-case letters, digits "
                    + "and dashes, starting with a letter or digit (e.g. alice or team-3).");
        }
        return Optional.of(name);
    }

    /** What every name an exercise or grader creates starts with: {@code alice.}, or nothing outside room mode. */
    public static String prefix() {
        return name().map(name -> name + SEPARATOR).orElse("");
    }

    /**
     * The prefix for ksqlDB streams and tables (and other SQL identifiers), which allow no dot or
     * dash: {@code ALICE_}, or nothing outside room mode.
     */
    public static String sqlPrefix() {
        return name().map(name -> name.replace('-', '_').toUpperCase(java.util.Locale.ROOT) + "_").orElse("");
    }
}
