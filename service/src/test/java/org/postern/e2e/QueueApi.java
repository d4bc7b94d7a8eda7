package org.postern.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's side of {@code /actuator/queue} in the queue scenarios: real HTTP to the running
 * application on loopback, JSON parsed as a client would.
 */
final class QueueApi {

    /** One HTTP exchange: the status and the body, parsed when it is JSON. */
    record Response(int status, String body, JsonNode json) {
        /** The queue ids of a listing's page, in order. */
        List<String> ids() {
            List<String> ids = new ArrayList<>();
            for (JsonNode m : json.path("messages").values()) {
                ids.add(m.path("queueId").asString());
            }
            return ids;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static final JsonMapper JSON = JsonMapper.shared();
    private final String base;

    QueueApi(int httpPort) {
        this.base = "http://127.0.0.1:" + httpPort + "/actuator/queue";
    }

    Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    /** POST with a JSON body, as {@code curl -H 'Content-Type: application/json' -d '{...}'} sends it. */
    Response post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Response show(String id) throws IOException, InterruptedException {
        return get("/" + id);
    }

    Response action(String id, String action) throws IOException, InterruptedException {
        return post("/" + id, "{\"action\":\"" + action + "\"}");
    }

    Response flush() throws IOException, InterruptedException {
        return post("", "{\"action\":\"flush\"}");
    }

    Response flush(String destination) throws IOException, InterruptedException {
        return post("", "{\"action\":\"flush\",\"destination\":\"" + destination + "\"}");
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && !r.body().isEmpty() ? JSON.readTree(r.body()) : null;
            return new Response(r.statusCode(), r.body(), json);
        }
    }
}
