package org.postern.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.smtp.BodyType;
import org.postern.smtp.Envelope;
import org.postern.smtp.MailAddress;
import org.postern.smtp.Recipient;

/**
 * Fills a spool with deferred messages for {@code bench/queue-scale.sh}: each one is written and
 * committed through {@link Spool#create} (fsync and group commit included, byte for byte what a
 * session writes), then given the schedule record a first deferred attempt leaves, next attempt an
 * hour away. A restart on the result is therefore a restart with a long queue whose next hop is
 * down, without the hour it would take to get there over SMTP. Not a test; a main class in test
 * scope so that it uses the spool's own writer.
 *
 * <p>Usage: {@code SpoolFiller <spool directory> <messages> [content bytes] [writers]}
 */
public final class SpoolFiller {

    private SpoolFiller() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SpoolFiller <spool directory> <messages> [content bytes (2048)] [writers (64)]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int messages = Integer.parseInt(args[1]);
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
        int writers = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        byte[] content = content(size);
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        // Group commit needs concurrent commits, as concurrent sessions give it.
        try (Spool spool = Spool.open(new SpoolOptions(dir, Duration.ofMillis(2)), SpoolEvents.NONE);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Instant retryAt = Instant.now().plus(Duration.ofHours(1));
            List<Future<?>> tasks = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                tasks.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                        write(spool, i, content, retryAt);
                        if (i > 0 && i % 10_000 == 0) {
                            System.out.printf("%d messages in %d ms%n", i, (System.nanoTime() - started) / 1_000_000);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> t : tasks) {
                t.get();
            }
        }
        System.out.printf("filled %s with %d messages of %d bytes in %d ms%n", dir, messages, content.length,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static void write(Spool spool, int n, byte[] content, Instant retryAt) throws IOException {
        String id = spool.newQueueId();
        Envelope envelope = new Envelope(id, Instant.now(), new MailAddress("app" + (n % 50), "example.org"),
                List.of(Recipient.of(new MailAddress("user" + n, "down" + (n % 20) + ".example.net"))),
                BodyType.EIGHT_BIT_MIME, false, null, null, "127.0.0.1", "localhost", "app.example.org", null, "ESMTP",
                "MTA");
        try (SpoolWriter writer = spool.create(envelope)) {
            writer.content().write(content);
            writer.commit();
        }
        spool.recordSchedule(id, new DeliverySchedule(1, retryAt, false));
    }

    /** A plain text message of about {@code size} bytes: headers, then 76-character lines. */
    static byte[] content(int size) {
        StringBuilder b = new StringBuilder("From: <app@example.org>\r\nTo: <user@down.example.net>\r\n"
                + "Subject: queue scale\r\nMessage-ID: <scale@example.org>\r\n\r\n");
        String line = "x".repeat(74) + "\r\n";
        while (b.length() + line.length() <= size) {
            b.append(line);
        }
        while (b.length() < size - 2) {
            b.append('y');
        }
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
