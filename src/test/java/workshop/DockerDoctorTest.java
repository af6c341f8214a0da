package workshop;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import workshop.stack.StackException;
import workshop.stack.containers.ContainerImages;
import workshop.stack.containers.ContainerStack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code doctor} and the Testcontainers stack against a real Docker engine that may lack images
 * and cannot reach a registry: both must answer in seconds, say what is true (the engine answers,
 * these images are missing) and how to get them, and pull nothing on their own for minutes.
 * Skipped, with the reason in the report, where no engine answers.
 */
class DockerDoctorTest {

    /** What the engine has, asked by another API call than the code under test uses (the image list). */
    private static Set<String> engineTags() {
        DockerClient docker = DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
        Set<String> tags = new HashSet<>();
        for (Image image : docker.listImagesCmd().exec()) {
            if (image.getRepoTags() != null) {
                tags.addAll(List.of(image.getRepoTags()));
            }
        }
        return tags;
    }

    private static void assumeEngine() {
        assumeTrue(ContainerStack.dockerAvailable(), "No Docker engine answers here: doctor's Docker report is checked where one does");
    }

    @Test
    @Timeout(90)
    void doctorSaysInSecondsThatTheEngineAnswersAndWhichImagesItLacks() throws Exception {
        assumeEngine();
        Set<String> before = engineTags();
        Set<String> images = new LinkedHashSet<>(ContainerImages.testcontainersHelpers());
        images.addAll(ContainerImages.all());
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            boolean connectBuilt = image.equals(workshop.stack.containers.ConnectContainer.BASE_IMAGE)
                    && before.contains(workshop.stack.containers.ConnectContainer.IMAGE_NAME);
            if (!before.contains(image) && !connectBuilt) {
                missing.add(image);
            }
        }

        Cli.Result doctor = Cli.run(Cli.copyOfWorkshop(), Map.of(), "doctor");
        String out = doctor.all();

        Matcher asked = Pattern.compile("Docker engine: answers \\(asked in ([0-9.]+) s\\)").matcher(out);
        assertTrue(asked.find(), out);
        assertTrue(Double.parseDouble(asked.group(1)) < 20, "the engine is asked, not pulled from: " + asked.group());
        assertTrue(doctor.took().compareTo(Duration.ofSeconds(60)) < 0, "doctor took " + doctor.took());
        if (missing.isEmpty()) {
            assertTrue(out.contains("Docker images: all " + images.size() + " present"), out);
            assertTrue(out.contains("testcontainers  ready"), out);
        } else {
            assertTrue(out.contains("Docker images missing: " + String.join(", ", missing)), "missing " + missing + " in:\n" + out);
            for (String image : missing) {
                assertTrue(out.contains("docker pull " + image), "how to get " + image + ":\n" + out);
            }
            assertTrue(out.contains("testcontainers  engine answers, " + missing.size() + " of " + images.size() + " images missing"), out);
            assertTrue(out.contains("the runner grades on "), "what is used instead:\n" + out);
        }
        assertFalse(out.contains("Exception"), "no stack traces:\n" + out);
        assertEquals(before, engineTags(), "doctor pulled or removed nothing");
    }

    @Test
    @Timeout(60)
    void anImageTheEngineCannotGetFailsAtOnceInOneLineWithThePullCommand() {
        assumeEngine();
        String never = "kafka-ksqldb-workshop/never-published:0";
        List<String> progress = new ArrayList<>();
        long started = System.nanoTime();
        StackException e = assertThrows(StackException.class, () -> ContainerImages.require(Set.of(never), progress::add));
        double seconds = (System.nanoTime() - started) / 1e9;
        // Testcontainers would retry this pull for 2 minutes.
        assertTrue(seconds < 30, "failed after " + seconds + " s");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("docker pull " + never), e.getMessage());
        assertTrue(e.getMessage().contains("WORKSHOP_STACK=embedded"), e.getMessage());
        assertEquals(List.of("Pulling " + never + " (once; Docker keeps it)..."), progress);
        assertFalse(engineTags().contains(never));
    }

    @Test
    @Timeout(60)
    void withoutAnEngineDoctorSaysSoInSeconds(@org.junit.jupiter.api.io.TempDir Path nowhere) throws Exception {
        // An engine address where nothing listens; skipped if Testcontainers still finds one elsewhere.
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + nowhere.resolve("no-docker.sock"));
        Cli.Result doctor = Cli.run(Cli.copyOfWorkshop(), env, "doctor");
        assumeTrue(doctor.all().contains("Docker engine: not found"), "A Docker engine answers here even so");
        assertTrue(doctor.all().contains("testcontainers  unavailable: no Docker engine answers"), doctor.all());
        assertTrue(doctor.took().compareTo(Duration.ofSeconds(45)) < 0, "doctor took " + doctor.took());
    }
}
