package workshop;

import workshop.grading.GradeResult;
import workshop.manifest.Exercise;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Every grading of the suite (solutions, shipped exercises, typical mistakes) on one schedule.
 * The three test classes used to grade one after the other, each waiting for its own slowest
 * lane; here all gradings share the same slots and lanes, and they start as soon as the test
 * run begins ({@link GradingPlanStarter}), so they also overlap with the other test classes.
 * Each dynamic test then waits only for its own grading.
 */
final class GradingPlan {

    /** What a set of gradings proves: each kind is one test class. */
    enum Kind {
        SOLUTIONS(SolutionsPassTest.class),
        EXERCISES(ExercisesFailTest.class),
        MISTAKES(MistakesRejectedTest.class);

        final Class<?> testClass;

        Kind(Class<?> testClass) {
            this.testClass = testClass;
        }
    }

    /** A grading to do and, once scheduled, its result to come. */
    record Scheduled(Grading.Job job, CompletableFuture<GradeResult> result) {
    }

    /**
     * Gradings at once. They mostly wait (for JVMs to start, the broker, a program's deadline),
     * so more of them than cores keeps the two cores of a small machine busy; on a machine that
     * is already busy, fewer. While the cores idle, a few more (see Slots).
     */
    static final int SLOTS = Integer.getInteger("workshop.gradings", 5);

    /** The grading test classes' place in the run (junit-platform.properties): last, waiting for gradings begun at the start. */
    static final int LAST = Integer.MAX_VALUE;

    private static final Map<Kind, List<Scheduled>> PLANNED = new EnumMap<>(Kind.class);
    private static final Slots SLOTS_FREE = new Slots(SLOTS);
    private static final ExecutorService SHARED = Executors.newFixedThreadPool(SLOTS + Slots.EXTRA, daemon("grading")); // a thread for each grading that may run
    private static final Map<String, ExecutorService> LANES = new HashMap<>();

    private GradingPlan() {
    }

    /** Schedules the gradings of these kinds, once each; the others keep their place in the queue. */
    static synchronized void start(Set<Kind> kinds) {
        List<Kind> fresh = kinds.stream().filter(kind -> !PLANNED.containsKey(kind)).sorted().toList();
        if (fresh.isEmpty()) {
            return;
        }
        List<Scheduled> all = new ArrayList<>();
        for (Kind kind : fresh) {
            List<Scheduled> scheduled = jobs(kind).stream().map(job -> new Scheduled(job, new CompletableFuture<GradeResult>())).toList();
            PLANNED.put(kind, scheduled);
            all.addAll(scheduled);
        }
        try {
            Grading.startStack();
        } catch (RuntimeException | Error e) {
            all.forEach(scheduled -> scheduled.result().completeExceptionally(e)); // each test fails with the reason
            return;
        }
        // Longest first, so that the last slot does not end with a capstone alone: the later
        // modules (Kafka Streams apps, the whole pipeline) are the slow ones. Within a module, the
        // mistakes first: some wait out a deadline (log2's reader that never stops, 20-30 s on the
        // busy machine), and one starting last ended the run 10-15 s after every other grading.
        all.sort(Comparator.comparingInt((Scheduled s) -> Grading.MANIFEST.moduleOf(s.job().exercise()).number()).reversed()
                .thenComparing(s -> !s.job().kind().equals("mistake")));
        for (Scheduled scheduled : all) {
            String isolation = Grading.isolation(scheduled.job().exercise());
            ExecutorService executor = isolation.isEmpty() ? SHARED
                    : LANES.computeIfAbsent(isolation, lane -> Executors.newSingleThreadExecutor(daemon("lane " + lane)));
            executor.execute(() -> run(scheduled, !isolation.isEmpty()));
        }
    }

    /** The gradings of one kind in the order of the jobs, each result arriving when its grading ends. */
    static List<Scheduled> of(Kind kind) {
        start(Set.of(kind));
        synchronized (GradingPlan.class) {
            return PLANNED.get(kind);
        }
    }

    private static List<Grading.Job> jobs(Kind kind) {
        return switch (kind) {
            case SOLUTIONS -> Grading.exercises().stream()
                    .map(exercise -> new Grading.Job("solution", exercise, exercise.solutionFile(Grading.ROOT))).toList();
            case EXERCISES -> Grading.exercises().stream()
                    .map(exercise -> new Grading.Job("exercise", exercise, exercise.exerciseFile(Grading.ROOT))).toList();
            case MISTAKES -> MistakesRejectedTest.jobs();
        };
    }

    private static void run(Scheduled scheduled, boolean inLane) {
        try {
            SLOTS_FREE.acquire(inLane);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduled.result().completeExceptionally(e);
            return;
        }
        try {
            // A mistake whose file could not be written has no grading; its test says why.
            scheduled.result().complete(scheduled.job().file() == null ? null : Grading.gradeAndLog(scheduled.job()));
        } catch (Throwable e) {
            scheduled.result().completeExceptionally(e);
        } finally {
            SLOTS_FREE.release();
        }
    }

    /**
     * Waits until every grading planned so far has ended, whatever its result: a test that watches
     * the whole cluster (KsqlRoomModeTest) then sees only the names of its own gradings.
     */
    static void awaitAllPlanned() {
        List<Scheduled> planned;
        synchronized (GradingPlan.class) {
            planned = PLANNED.values().stream().flatMap(List::stream).toList();
        }
        planned.forEach(scheduled -> scheduled.result().handle((result, failure) -> null).join());
    }

    /** The result of one grading, waiting for it (a grading has deadlines of its own: no timeout here). */
    static GradeResult await(Scheduled scheduled) {
        return scheduled.result().join();
    }

    /**
     * The slots, lanes first. A lane grades one exercise after the other (the Kafka Connect ones
     * share the customers table), so its queue can be the run's longest path; in line with everyone
     * else it was the last to end, alone on a machine gone idle. A lane's grading waiting for a slot
     * gets the next one that frees.
     *
     * <p>Some gradings mostly wait (a crash's timing, a notifier's backoff, a 3-broker failover), and
     * when several such hold the slots the cores idle: then one more grading starts, up to
     * {@link #EXTRA} more, one at a time and only after the last one had {@link #SETTLE} to show its own
     * work in the CPU figure. A busy machine gets none.
     */
    private static final class Slots {
        /** More gradings than slots at most, while cores idle. */
        static final int EXTRA = Integer.getInteger("workshop.gradings.extra", 2);
        /** Below this share of both cores busy (the last two seconds), a core idles. */
        static final double IDLE_BELOW = 0.85;
        /** A grading that starts takes a few seconds to load a core: the next extra one waits that long. */
        static final long SETTLE = TimeUnit.SECONDS.toNanos(3);

        private final int slots;
        private final CpuWatch cpu = new CpuWatch();
        private int running;
        private int lanesWaiting;
        private long lastExtraAt;

        Slots(int slots) {
            this.slots = slots;
            this.lastExtraAt = System.nanoTime() - SETTLE; // nanoTime has no fixed origin: never compare it with 0
        }

        synchronized void acquire(boolean lane) throws InterruptedException {
            if (lane) {
                lanesWaiting++;
            }
            try {
                while (!mayStart(lane)) {
                    wait(500); // or until a slot frees: the CPU figure changes without a notify
                }
            } finally {
                if (lane) {
                    lanesWaiting--;
                    notifyAll(); // the others may go, if a slot is left
                }
            }
            if (running >= slots) {
                lastExtraAt = System.nanoTime();
                System.out.printf("[grading] the cores idle (%.0f %% busy): one more grading starts, %d at once%n", cpu.busy() * 100, running + 1);
            }
            running++;
        }

        private boolean mayStart(boolean lane) {
            if (!lane && lanesWaiting > 0) {
                return false;
            }
            return running < slots || (running < slots + EXTRA && System.nanoTime() - lastExtraAt > SETTLE && cpu.idling());
        }

        synchronized void release() {
            running--;
            notifyAll();
        }
    }

    /** The machine's CPU, sampled every second by a thread of its own (the first look at it starts it). */
    private static final class CpuWatch {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        private volatile double last = 1;
        private volatile double before = 1;
        private Thread sampler;

        double busy() {
            return last;
        }

        /** Whether the cores were less than {@link Slots#IDLE_BELOW} busy in each of the last two seconds. */
        synchronized boolean idling() {
            if (sampler == null) {
                sampler = daemon("cpu-watch").newThread(this::sample);
                sampler.start();
            }
            return last < Slots.IDLE_BELOW && before < Slots.IDLE_BELOW;
        }

        private void sample() {
            os.getCpuLoad(); // the first figure is since the JVM started
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                double load = os.getCpuLoad(); // the share of all cores busy since the last call; negative when unknown
                before = last;
                last = load < 0 ? 1 : load;
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
