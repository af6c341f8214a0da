package workshop.stack;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * How much slower than a quiet machine this one runs right now, so that deadlines grow on a busy
 * laptop (a video call, an IDE, Docker) instead of failing a learner's correct code. Measured,
 * never guessed: the load average per core, and how long the embedded Kafka took to start
 * compared with a quiet machine. 1 on a quiet machine, at most {@link #MAX_FACTOR}.
 */
public final class MachinePace {

    /** Beyond this, waiting longer helps no one: the report says the machine is too busy. */
    public static final double MAX_FACTOR = 6;
    /** How much a busy machine stretches a wait for a program's timer at most: see {@link #scaleTimer}. */
    static final double MAX_TIMER_FACTOR = 1.5;
    /** The single embedded broker starts in 3-5 s on a quiet 2-core machine. */
    static final Duration QUIET_KAFKA_START = Duration.ofSeconds(5);

    private static volatile double observed = 1;

    private MachinePace() {
    }

    /** The current slowness: 1 (quiet) to {@link #MAX_FACTOR}. */
    public static double factor() {
        return Math.min(MAX_FACTOR, Math.max(1, Math.max(observed, loadPerCore())));
    }

    /** A deadline stretched by the current slowness, e.g. 15 s becomes 45 s at a factor of 3. */
    public static Duration scale(Duration quiet) {
        return stretched(quiet, factor());
    }

    /**
     * A wait for one of the program's own timers (a retry's backoff, an auto-commit interval): a
     * busy machine delays a timer by the time its thread waits for a core, not by the whole factor
     * that a start or a computation needs. Stretched by at most {@link #MAX_TIMER_FACTOR}; a
     * scale(...) of such a wait made every mistake that waits one out three times as long in a
     * busy test run, for nothing.
     */
    public static Duration scaleTimer(Duration quiet) {
        return stretched(quiet, Math.min(factor(), MAX_TIMER_FACTOR));
    }

    private static Duration stretched(Duration quiet, double factor) {
        return Duration.ofMillis((long) (quiet.toMillis() * factor));
    }

    /** Records a start that took {@code took} where a quiet machine needs {@code quiet}. */
    public static void observe(Duration took, Duration quiet) {
        observed = Math.min(MAX_FACTOR, Math.max(1, (double) took.toMillis() / quiet.toMillis()));
    }

    /** Records how long the embedded Kafka took to start. */
    public static void observeKafkaStart(Duration took) {
        observe(took, QUIET_KAFKA_START);
    }

    /** For messages: "load average 11.2 on 2 cores", or the start measurement where no load average exists. */
    public static String describe() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        String pace = String.format(Locale.ROOT, "deadlines stretched x%.1f", factor());
        return load < 0 ? pace : String.format(Locale.ROOT, "load average %.1f on %d cores, %s", load, cores, pace);
    }

    /** True when the machine is clearly busier than a quiet one: timeouts then say so. */
    public static boolean busy() {
        return factor() >= 1.5;
    }

    private static double loadPerCore() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(); // -1 on Windows
        return load < 0 ? 1 : load / Runtime.getRuntime().availableProcessors();
    }
}
