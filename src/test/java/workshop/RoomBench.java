package workshop;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import workshop.manifest.Exercise;
import workshop.room.RoomSettings;
import workshop.room.ScramBroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The room benchmark (scripts/room-bench.sh): N learners grade the module 1-5 solutions at once (not module 2, which also needs the 3-broker cluster),
 * each through the runner in a JVM of their own, on one secured broker with an ACL per learner.
 * Prints gradings per minute, p50/p95 grading time, the broker's CPU and memory, the load
 * average, and the cross-talk checks: every grading passed, and every topic and group on the
 * broker carries exactly one learner's prefix.
 */
public final class RoomBench {

    private static final Set<Integer> MODULES = Set.of(1, 2, 3, 4, 5);

    public static void main(String[] args) throws Exception {
        int learners = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Set<String> only = args.length > 1 ? Set.of(args[1].split(",")) : Set.of(); // e.g. log1,groups1: fewer per learner
        List<Exercise> exercises = Grading.MANIFEST.availableExercises().stream()
                .filter(e -> MODULES.contains(Grading.MANIFEST.moduleOf(e).number()))
                // One broker, as most rooms have: module 2 also needs the 3-broker cluster (RoomModeTest leaves it out too).
                .filter(e -> !Grading.MANIFEST.moduleOf(e).services().contains(workshop.stack.Service.KAFKA_CLUSTER))
                .filter(e -> only.isEmpty() || only.contains(e.id())).toList();
        System.out.printf("Room bench: %d learners x %d exercises (modules 1, 3-5), load average %s%n", learners, exercises.size(), loadAverage());
        try (ScramBroker broker = ScramBroker.start(Files.createTempDirectory("room-bench-broker-"))) {
            try (Admin admin = broker.admin()) {
                admin.createTopics(List.of(new NewTopic(RoomSettings.PROGRESS_TOPIC, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            List<String> names = new ArrayList<>();
            List<Path> workshops = new ArrayList<>();
            for (int i = 1; i <= learners; i++) {
                String name = String.format("learner-%02d", i);
                broker.addLearner(name, name + "-secret");
                Path workshop = Cli.copyOfWorkshop();
                Files.writeString(workshop.resolve("stack.properties"), String.join("\n",
                        "bootstrap.servers=" + broker.bootstrapServers(), "security.protocol=SASL_PLAINTEXT",
                        "sasl.mechanism=" + ScramBroker.MECHANISM,
                        "sasl.jaas.config=" + ScramBroker.jaas(name, name + "-secret").replace("\"", "\\\""),
                        RoomSettings.PROGRESS_KEY + "=on", ""));
                names.add(name);
                workshops.add(workshop);
            }
            BrokerSampler sampler = new BrokerSampler(broker.pid());
            sampler.start();
            List<Long> millis = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            String loadBefore = loadAverage();
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(learners);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < learners; i++) {
                String name = names.get(i);
                Path workshop = workshops.get(i);
                running.add(pool.submit(() -> gradeAll(name, workshop, exercises, millis, failures)));
            }
            for (Future<?> learner : running) {
                learner.get();
            }
            pool.shutdown();
            double minutes = (System.nanoTime() - started) / 60e9;
            sampler.stop();
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            System.out.println();
            System.out.printf(Locale.ROOT, "learners            %d%n", learners);
            System.out.printf(Locale.ROOT, "gradings            %d in %.1f min: %.1f per minute%n", sorted.size(), minutes, sorted.size() / minutes);
            System.out.printf(Locale.ROOT, "grading time        p50 %.1f s, p95 %.1f s, max %.1f s%n",
                    percentile(sorted, 50) / 1000.0, percentile(sorted, 95) / 1000.0, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0);
            System.out.printf(Locale.ROOT, "broker              CPU %.0f%% of one core on average, RSS peak %d MB%n", sampler.cpuPercent(), sampler.peakRssMb());
            System.out.printf(Locale.ROOT, "load average        before %s, after %s (2 cores)%n", loadBefore, loadAverage());
            System.out.printf(Locale.ROOT, "failed gradings     %d%s%n", failures.size(), failures.isEmpty() ? "" : ": " + failures);
            crossTalk(broker, names);
        }
    }

    /** One learner: the runner's own check command, once per exercise, in one JVM (as a watch session would). */
    private static void gradeAll(String name, Path workshop, List<Exercise> exercises, List<Long> millis, List<String> failures) {
        ProcessBuilder builder = RoomBenchLearner.builder(workshop, java.util.Map.of("WORKSHOP_LEARNER", name),
                exercises.stream().map(Exercise::id).toList());
        try {
            Process process = builder.start();
            Path log = workshop.resolve("bench.log");
            try (var writer = Files.newBufferedWriter(log)) {
                RoomBenchLearner.read(process, line -> {
                    try {
                        writer.write(line + "\n");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, graded -> {
                    millis.add(graded.millis());
                    if (graded.exitCode() != 0) {
                        List<String> failedChecks = graded.failedChecks();
                        failures.add(name + "/" + graded.id() + (failedChecks.isEmpty() ? "" : " " + failedChecks));
                        System.out.println("  " + name + "/" + graded.id() + " failed: " + failedChecks);
                    }
                });
            }
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                failures.add(name + ": did not end");
            }
        } catch (Exception e) {
            failures.add(name + ": " + e);
        }
    }

    /** No learner's names outside their prefix: what one creates, no other can see (ACLs), and nothing is shared. */
    private static void crossTalk(ScramBroker broker, List<String> names) throws Exception {
        try (Admin admin = broker.admin()) {
            Set<String> topics = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            Set<String> groups = admin.listConsumerGroups().all().get(60, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
            List<String> stray = new ArrayList<>();
            for (String name : topics) {
                if (!name.equals(RoomSettings.PROGRESS_TOPIC) && owners(name, names) != 1) {
                    stray.add("topic " + name);
                }
            }
            for (String name : groups) {
                if (owners(name, names) != 1) {
                    stray.add("group " + name);
                }
            }
            int created = topics.size() - 1 + groups.size(); // the progress topic is the instructor's
            System.out.printf(Locale.ROOT, "cross-talk          %d topics and %d groups, each of exactly one learner: %s%n",
                    topics.size() - 1, groups.size(), !stray.isEmpty() ? "NO: " + stray
                            : created == 0 ? "nothing was created (no grading got that far)" : "yes (zero cross-talk)");
        }
    }

    private static long owners(String resource, List<String> names) {
        return names.stream().filter(n -> resource.startsWith(n + ".")).count();
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The broker process's CPU time and resident memory, from /proc, once a second. */
    private static final class BrokerSampler {
        private final long pid;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;
        private long firstTicks = -1;
        private long lastTicks;
        private long firstNanos;
        private long lastNanos;
        private long peakRssKb;

        BrokerSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    sample();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join();
            sample();
        }

        private synchronized void sample() {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                if (firstTicks < 0) {
                    firstTicks = ticks;
                    firstNanos = System.nanoTime();
                }
                lastTicks = ticks;
                lastNanos = System.nanoTime();
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (Exception e) {
                // the broker is gone: keep what was measured
            }
        }

        synchronized double cpuPercent() {
            double seconds = (lastNanos - firstNanos) / 1e9;
            return seconds <= 0 ? 0 : 100.0 * (lastTicks - firstTicks) / 100.0 / seconds; // 100 ticks a second (USER_HZ)
        }

        synchronized long peakRssMb() {
            return peakRssKb / 1024;
        }
    }
}
