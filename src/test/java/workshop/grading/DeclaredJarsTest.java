package workshop.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exercise's JVM gets the jars its {@code //DEPS} bring, read from the POMs of this build's
 * own classpath (the local Maven repository): what JBang would give it, not the runner's 200
 * jars; and all of them when the POMs cannot tell.
 */
class DeclaredJarsTest {

    private static Set<String> artifactIds(List<Path> jars) {
        return jars.stream().map(jar -> jar.getParent().getParent().getFileName().toString()).collect(Collectors.toSet());
    }

    @Test
    void aClientGetsKafkaClientsAndWhatItNeedsAtRuntime() {
        List<Path> jars = DeclaredJars.of(List.of("org.apache.kafka:kafka-clients:4.3.1", "org.slf4j:slf4j-simple:2.0.17"),
                ExerciseClasspath.jars()).orElseThrow();
        // kafka-clients' POM: zstd-jni, lz4-java, snappy-java and slf4j-api at runtime.
        assertEquals(Set.of("kafka-clients", "zstd-jni", "lz4-java", "snappy-java", "slf4j-api", "slf4j-simple"), artifactIds(jars));
    }

    @Test
    void aStreamsAppGetsRocksDbAndTheClientsThroughKafkaStreams() {
        List<Path> jars = DeclaredJars.of(List.of("com.fasterxml.jackson.core:jackson-databind:2.21.2",
                "org.apache.kafka:kafka-streams:4.3.1", "org.slf4j:slf4j-simple:2.0.17"), ExerciseClasspath.jars()).orElseThrow();
        Set<String> ids = artifactIds(jars);
        assertTrue(ids.containsAll(Set.of("kafka-streams", "kafka-clients", "rocksdbjni", "jackson-databind", "jackson-core",
                "jackson-annotations", "slf4j-simple")), ids.toString());
        assertFalse(ids.contains("kafka_2.13") || ids.contains("junit-jupiter-api") || ids.contains("connect-runtime"), ids.toString());
        // In the classpath's order, as Maven chose it.
        List<Path> all = ExerciseClasspath.jars();
        assertEquals(all.stream().filter(jars::contains).toList(), jars);
    }

    @Test
    void aLibraryMissingFromTheClasspathMeansNoAnswer() {
        assertEquals(Optional.empty(), DeclaredJars.of(List.of("org.example:not-here:1.0"), ExerciseClasspath.jars()));
    }

    @Test
    void aJarWithoutItsPomMeansNoAnswer(@TempDir Path repository) throws Exception {
        Path jar = Files.createDirectories(repository.resolve("org/example/lonely/1.0")).resolve("lonely-1.0.jar");
        Files.write(jar, new byte[0]);
        assertEquals(Optional.empty(), DeclaredJars.of(List.of("org.example:lonely:1.0"), List.of(jar)));
    }

    @Test
    void theParentsDependenciesAndPropertiesCount(@TempDir Path repository) throws Exception {
        Path child = jar(repository, "org.example", "child", "1.0");
        Path inherited = jar(repository, "org.example", "inherited", "2.0");
        Path named = jar(repository, "org.example.named", "named", "3.0");
        Path testOnly = jar(repository, "org.example", "test-only", "1.0");
        Path optional = jar(repository, "org.example", "optional", "1.0");
        pom(repository, "org.example", "child", "1.0", """
                <parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>5</version></parent>
                <artifactId>child</artifactId>
                <dependencies>
                  <dependency><groupId>${named.group}</groupId><artifactId>named</artifactId></dependency>
                  <dependency><groupId>${project.groupId}</groupId><artifactId>test-only</artifactId><scope>test</scope></dependency>
                  <dependency><groupId>org.example</groupId><artifactId>optional</artifactId><optional>true</optional></dependency>
                </dependencies>
                """);
        pom(repository, "org.example", "parent", "5", """
                <groupId>org.example</groupId><artifactId>parent</artifactId>
                <properties><named.group>org.example.named</named.group></properties>
                <dependencies><dependency><groupId>org.example</groupId><artifactId>inherited</artifactId></dependency></dependencies>
                """);
        pom(repository, "org.example", "inherited", "2.0", "<groupId>org.example</groupId><artifactId>inherited</artifactId>");
        pom(repository, "org.example.named", "named", "3.0", "<groupId>org.example.named</groupId><artifactId>named</artifactId>");
        List<Path> classpath = List.of(testOnly, named, child, optional, inherited);
        assertEquals(Optional.of(List.of(named, child, inherited)), DeclaredJars.of(List.of("org.example:child"), classpath));
    }

    private static Path jar(Path repository, String groupId, String artifactId, String version) throws Exception {
        Path folder = Files.createDirectories(repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version));
        return Files.write(folder.resolve(artifactId + "-" + version + ".jar"), new byte[0]);
    }

    private static void pom(Path repository, String groupId, String artifactId, String version, String body) throws Exception {
        Path folder = Files.createDirectories(repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version));
        Files.writeString(folder.resolve(artifactId + "-" + version + ".pom"), "<project>" + body + "</project>");
    }
}
