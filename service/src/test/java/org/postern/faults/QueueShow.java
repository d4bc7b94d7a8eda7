package org.postern.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /actuator/queue/<id>} as an operator runs it: what the queue knows about one message,
 * including each pending recipient's last deferral (status and reply), which is kept in memory only.
 */
final class QueueShow {

    private QueueShow() {
    }

    /** The message's JSON; fails unless the answer is HTTP 200. */
    static JsonNode of(int httpPort, String queueId) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/actuator/queue/" + queueId)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("/actuator/queue/" + queueId + ": " + response.statusCode() + " "
                        + response.body());
            }
            return JsonMapper.shared().readTree(response.body());
        }
    }
}
