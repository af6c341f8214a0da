package workshop.manifest;

import workshop.stack.Service;

import java.util.List;

/**
 * One module of the workshop, e.g. "1. The log".
 *
 * @param number    position in the talk, 0 for setup
 * @param id        short name used in folder names, e.g. {@code log}
 * @param directory folder under exercises/ and solutions/, e.g. {@code 01-log}
 * @param guide     the module's guide, relative to the workshop root
 * @param status    {@code ready}, or {@code coming} for modules not written yet
 * @param services  what the stack must run for this module's exercises
 */
public record Module(
        int number,
        String id,
        String title,
        String directory,
        String guide,
        int minutes,
        String status,
        List<Service> services,
        List<Exercise> exercises) {

    public Module {
        services = services == null ? List.of() : List.copyOf(services);
        exercises = exercises == null ? List.of() : List.copyOf(exercises);
        status = status == null ? "ready" : status;
    }

    public boolean available() {
        return "ready".equals(status);
    }

    /**
     * What grading one of this module's exercises needs: Kafka and ksqlDB for a ksqlDB exercise
     * (its grader feeds the input itself), the module's services for the others.
     */
    public java.util.Set<Service> servicesFor(Exercise exercise) {
        java.util.EnumSet<Service> needed = java.util.EnumSet.noneOf(Service.class);
        if (exercise.ksqldb()) {
            needed.add(Service.KAFKA);
            needed.add(Service.KSQLDB);
        } else {
            needed.addAll(services);
            needed.remove(Service.KSQLDB);
        }
        return needed;
    }
}
