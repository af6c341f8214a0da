package workshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import workshop.stack.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker-compose stack of the live workshop publishes its services on the same ports as the
 * embedded backend, so exercises find them in the same place whichever runs; and both seed the
 * same customers.
 */
class ComposeFileTest {

    private static final Map<String, Ports> SERVICES = Map.of(
            "kafka", Ports.KAFKA,
            "schema-registry", Ports.SCHEMA_REGISTRY,
            "connect", Ports.CONNECT,
            "ksqldb-server", Ports.KSQLDB,
            "postgres", Ports.POSTGRES,
            "kafka-1", Ports.KAFKA_CLUSTER);

    @Test
    void composePublishesTheWorkshopsPorts() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(Grading.ROOT.resolve("docker-compose.yml").toFile()).get("services");
        SERVICES.forEach((name, port) -> {
            JsonNode service = services.get(name);
            assertTrue(service != null, "docker-compose.yml has no service " + name);
            assertEquals(List.of(port.defaultPort()), hostPorts(service), name + " publishes another host port");
        });
        assertEquals(List.of(Ports.KAFKA_CLUSTER.defaultPort() + 1), hostPorts(services.get("kafka-2")));
        assertEquals(List.of(Ports.KAFKA_CLUSTER.defaultPort() + 2), hostPorts(services.get("kafka-3")));
    }

    @Test
    void everyServiceHasAHealthCheck() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(Grading.ROOT.resolve("docker-compose.yml").toFile()).get("services");
        services.fieldNames().forEachRemaining(name ->
                assertTrue(services.get(name).has("healthcheck"), name + " has no health check"));
    }

    @Test
    void customersSeedHasTheTalksTable() throws IOException {
        String sql = Files.readString(Grading.ROOT.resolve("docker/postgres/init/01-customers.sql"));
        for (String column : List.of("id", "first_name", "last_name", "email", "gender", "club_status", "comments")) {
            assertTrue(sql.contains(column), "customers has no column " + column);
        }
        Matcher rows = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*'").matcher(sql);
        int count = 0;
        while (rows.find()) {
            count++;
        }
        assertEquals(20, count, "about twenty customers, ids 1..20, as in the talk");
        assertTrue(sql.contains("'platinum'"), "some platinum customers");
    }

    private static List<Integer> hostPorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        service.path("ports").forEach(p -> {
            String[] parts = p.asText().split(":");
            ports.add(Integer.parseInt(parts[parts.length - 2]));
        });
        return ports;
    }
}
