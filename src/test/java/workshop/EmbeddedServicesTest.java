package workshop;

import org.junit.jupiter.api.Test;
import workshop.grading.Broker;
import workshop.stack.Endpoints;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services of modules 7 and 11 run on the shared test stack: a real PostgreSQL seeded with
 * the customers, and a Connect worker whose Debezium connector captures them from the database.
 */
class EmbeddedServicesTest {

    @Test
    void debeziumCapturesTheSeededCustomers() throws Exception {
        Stacks.shared().start(EnumSet.of(Service.KAFKA, Service.POSTGRES, Service.CONNECT), line -> System.out.println("    [stack] " + line));
        Endpoints endpoints = Stacks.shared().endpoints();

        try (Connection db = DriverManager.getConnection(endpoints.address(Service.POSTGRES), Endpoints.POSTGRES_USER, Endpoints.POSTGRES_PASSWORD);
             Statement sql = db.createStatement();
             // The talk's 20 (graders running beside this test add customers of their own, ids 100000 and up).
             ResultSet rows = sql.executeQuery("SELECT count(*) FROM customers WHERE id <= 20")) {
            rows.next();
            assertEquals(20, rows.getInt(1));
        }

        HttpClient http = HttpClient.newHttpClient();
        String plugins = http.send(HttpRequest.newBuilder(URI.create(endpoints.address(Service.CONNECT) + "/connector-plugins")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String plugin : List.of("io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.jdbc.JdbcSinkConnector",
                "org.apache.kafka.connect.file.FileStreamSinkConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector")) {
            assertTrue(plugins.contains(plugin), plugin + " is not installed: " + plugins);
        }

        String jdbc = endpoints.address(Service.POSTGRES);
        String port = jdbc.replaceAll("^.*localhost:(\\d+)/.*$", "$1");
        String config = """
                {"connector.class": "io.debezium.connector.postgresql.PostgresConnector",
                 "database.hostname": "localhost", "database.port": "%s", "database.dbname": "workshop",
                 "database.user": "workshop", "database.password": "workshop",
                 "topic.prefix": "platformtest", "table.include.list": "public.customers",
                 "plugin.name": "pgoutput", "slot.name": "platformtest", "publication.name": "platformtest",
                 "publication.autocreate.mode": "filtered", "slot.drop.on.stop": "true"}""".formatted(port);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(endpoints.address(Service.CONNECT) + "/connectors/platformtest/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        try (Broker broker = new Broker(endpoints.bootstrapServers())) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            int events = 0;
            while (events < 20 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                events = broker.records("platformtest.public.customers").size();
            }
            assertEquals(20, events, "one snapshot event per customer");
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(endpoints.address(Service.CONNECT) + "/connectors/platformtest")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }
}
