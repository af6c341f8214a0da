package workshop.stack.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.utility.DockerImageName;
import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.StackException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The images the Testcontainers stack needs, and which of them the Docker engine lacks.
 * {@link #check} only asks the engine about its local images (what {@code doctor} shows);
 * {@link #require} then pulls each missing one once, before Testcontainers would retry it for
 * minutes. Testcontainers' own client, which starts Ryuk and so pulls its image, is never created
 * here: an engine that cannot reach a registry answers in a second or two.
 */
public final class ContainerImages {

    /** One question to the engine; it answers in milliseconds when it runs at all. */
    private static final long ASK_SECONDS = 10;

    /** Testcontainers' reaper and tiny image, as its version (pom.xml testcontainers.version) names them. */
    public static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    public static final String TINY_IMAGE = "alpine:3.17";

    private ContainerImages() {
    }

    /** The images these services run (or, for Connect, build on), in start order. */
    public static Set<String> forServices(Set<Service> services) {
        Set<String> images = new LinkedHashSet<>();
        for (Service service : List.of(Service.KAFKA, Service.POSTGRES, Service.SCHEMA_REGISTRY, Service.CONNECT, Service.KSQLDB)) {
            if (services.contains(service)) {
                images.add(image(service));
            }
        }
        return images;
    }

    /** Every image of the stack, as in docker-compose.yml (the replication cluster runs Kafka's image too). */
    public static Set<String> all() {
        return forServices(Set.of(Service.values()));
    }

    static String image(Service service) {
        return switch (service) {
            case KAFKA, KAFKA_CLUSTER -> ContainerStack.KAFKA_IMAGE;
            case POSTGRES -> WorkshopPostgresContainer.DEFAULT_IMAGE.asCanonicalNameString();
            case SCHEMA_REGISTRY -> SchemaRegistryContainer.DEFAULT_IMAGE.asCanonicalNameString();
            case KSQLDB -> KsqlDbContainer.DEFAULT_IMAGE.asCanonicalNameString();
            case CONNECT -> ConnectContainer.BASE_IMAGE;
        };
    }

    /**
     * Testcontainers' own helper images that it would pull before any of ours: Ryuk, its reaper
     * (unless TESTCONTAINERS_RYUK_DISABLED=true), and its tiny image, which it runs to find the
     * host's address when it runs inside a container itself (unless TESTCONTAINERS_HOST_OVERRIDE).
     */
    public static Set<String> testcontainersHelpers() {
        Set<String> helpers = new LinkedHashSet<>();
        if (!Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            helpers.add(RYUK_IMAGE);
        }
        if (Files.exists(Path.of("/.dockerenv")) && System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            helpers.add(TINY_IMAGE);
        }
        return helpers;
    }

    /** The engine's answer: which of the asked images it has not got, and how long asking took. */
    public record Check(List<String> missing, double seconds) {

        public boolean complete() {
            return missing.isEmpty();
        }

        /** The command that fetches what is missing, to run once while online. */
        public String pullCommand() {
            return String.join(" && ", missing.stream().map(image -> image.equals(ConnectContainer.BASE_IMAGE)
                    ? "docker pull " + image + " && docker compose build connect" : "docker pull " + image).toList());
        }
    }

    /**
     * Asks a running engine which of these images it lacks. Empty when no engine answers.
     * The Connect image counts as present once the workshop's own build of it exists.
     */
    public static Optional<Check> check(Set<String> images) {
        long started = System.nanoTime();
        if (!ContainerStack.dockerAvailable()) {
            return Optional.empty();
        }
        DockerClient docker = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            boolean present = has(docker, image)
                    || image.equals(ConnectContainer.BASE_IMAGE) && has(docker, ConnectContainer.IMAGE_NAME);
            if (!present) {
                missing.add(image);
            }
        }
        return Optional.of(new Check(List.copyOf(missing), (System.nanoTime() - started) / 1e9));
    }

    /**
     * Makes sure the engine has these images, before Testcontainers asks for one: Testcontainers
     * retries a pull that cannot succeed for 2 minutes, per image. A missing image is pulled once
     * here (as long as it takes when online; a tenth of a second when the engine has no registry);
     * what still misses is reported at once, in one line, with the command that gets it. Does
     * nothing when no engine answers (the caller says so).
     *
     * @throws StackException naming every image the engine could not get
     */
    public static void require(Set<String> images, Progress progress) {
        Check check = check(images).orElse(null);
        if (check == null || check.complete()) {
            return;
        }
        List<String> unavailable = new ArrayList<>();
        for (String image : check.missing()) {
            progress.report("Pulling " + image + " (once; Docker keeps it)...");
            if (!pull(image)) {
                unavailable.add(image);
            }
        }
        if (!unavailable.isEmpty()) {
            Check still = new Check(List.copyOf(unavailable), check.seconds());
            throw new StackException("Docker answers but cannot get " + (unavailable.size() == 1 ? "the image " : "the images ")
                    + String.join(", ", unavailable) + " (no registry reachable?). Get them once while online: "
                    + still.pullCommand() + " ; or run with WORKSHOP_STACK=embedded.");
        }
    }

    /**
     * Pulls an image once, without Testcontainers' retries: true when the engine has it after.
     * An engine with no registry refuses at once ("no such host").
     */
    static boolean pull(String image) {
        DockerImageName name = DockerImageName.parse(image);
        DockerClient docker = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
        AtomicBoolean failed = new AtomicBoolean();
        try {
            docker.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart())
                    .exec(new ResultCallback.Adapter<PullResponseItem>() {
                        @Override
                        public void onNext(PullResponseItem item) {
                            failed.compareAndSet(false, item.isErrorIndicated());
                        }
                    }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            return false;
        }
        return !failed.get() && has(docker, image);
    }

    private static boolean has(DockerClient docker, String image) {
        CompletableFuture<Boolean> asked = CompletableFuture.supplyAsync(() -> {
            try {
                docker.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
        try {
            return asked.get(ASK_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            asked.cancel(true);
            return false;
        }
    }
}
