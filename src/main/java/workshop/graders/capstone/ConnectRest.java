package workshop.graders.capstone;

import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The little of Kafka Connect's REST API the capstone's grader needs: deleting the learner's connectors afterwards. */
public final class ConnectRest {

    private final String url;
    private final String userInfo; // room mode: Connect's login, if it asks for one
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(Endpoints endpoints) {
        this.url = endpoints.address(Service.CONNECT);
        this.userInfo = endpoints.userInfo(Service.CONNECT);
    }

    public void delete(String connector) {
        try {
            http.send(HttpCredentials.authorize(HttpRequest.newBuilder(URI.create(url + "/connectors/" + connector)), userInfo)
                            .timeout(Duration.ofSeconds(20)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            System.err.println("[grader] could not delete connector " + connector + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
