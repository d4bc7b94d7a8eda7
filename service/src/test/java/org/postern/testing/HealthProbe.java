package org.postern.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the running relay's actuator over real HTTP, as a Kubernetes probe or an operator would:
 * {@code /actuator/health/readiness}, {@code /actuator/health/liveness}, {@code /actuator/health}.
 */
public final class HealthProbe {

    /** One answer: the HTTP status (200 for UP, 503 for DOWN) and the JSON body. */
    public record Answer(int httpStatus, JsonNode body) {
        /** The overall status, e.g. {@code UP}. */
        public String status() {
            return body.path("status").asString();
        }

        /** One indicator's node in the body ({@code components.<name>}). */
        public JsonNode component(String name) {
            return body.path("components").path(name);
        }

        @Override
        public String toString() {
            return httpStatus + " " + body;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HealthProbe() {
    }

    /** GETs {@code path} (e.g. {@code /actuator/health/readiness}) on 127.0.0.1:{@code port}. */
    public static Answer get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        }
    }

    public static Answer readiness(int port) throws IOException, InterruptedException {
        return get(port, "/actuator/health/readiness");
    }

    public static Answer liveness(int port) throws IOException, InterruptedException {
        return get(port, "/actuator/health/liveness");
    }
}
