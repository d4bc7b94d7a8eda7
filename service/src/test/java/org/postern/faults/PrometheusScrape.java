package org.postern.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, read the way a dashboard would: the sum of a
 * metric's samples whose labels contain a given fragment. Used by the fault tests and the soak,
 * which watch the relay from outside, over real HTTP on loopback.
 */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    private final String text;

    private PrometheusScrape(String text) {
        this.text = text;
    }

    /** GETs {@code http://127.0.0.1:port/actuator/prometheus}; fails on anything but HTTP 200. */
    public static PrometheusScrape of(int httpPort) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("/actuator/prometheus: HTTP " + response.statusCode());
            }
            return new PrometheusScrape(response.body());
        }
    }

    /** Parses exposition text already fetched. */
    public static PrometheusScrape parse(String text) {
        return new PrometheusScrape(text);
    }

    /**
     * The sum of every sample of {@code metric} whose label block contains {@code labels} (e.g.
     * {@code area="heap"}; empty for all samples); NaN when there is none, so a renamed metric
     * fails the comparison instead of reading as 0.
     */
    public double sum(String metric, String labels) {
        Matcher m = SAMPLE.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            if (m.group(1).equals(metric) && (m.group(2) == null ? labels.isEmpty() : m.group(2).contains(labels))) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    /**
     * A counter's total over all its label values; 0 when it has no sample yet, since a counter
     * with labels (such as {@code mailer}) appears on its first increment.
     */
    public double counter(String metric) {
        double sum = sum(metric, "");
        return Double.isNaN(sum) ? 0 : sum;
    }

    /** The sum of all samples of {@code metric}. */
    public double sum(String metric) {
        return sum(metric, "");
    }
}
