package org.postern.durability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.testing.SmtpTestClient;

/**
 * Clients sending messages over real SMTP as fast as the relay takes them, each on its own thread,
 * recording every queue id the relay acknowledged with 250. Every message is derived from a key
 * ({@code <round>-<thread>-<n>}), so what was acknowledged can be checked later without keeping it.
 */
final class SmtpLoad implements AutoCloseable {

    /** Queue id from "250 ... queued as ID" to the message key. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    private SmtpLoad() {
    }

    static SmtpLoad start(String round, int port, int clients) {
        SmtpLoad load = new SmtpLoad();
        for (int t = 0; t < clients; t++) {
            String prefix = round + "-" + t;
            load.threads.add(Thread.ofPlatform().daemon().name("load-" + prefix).start(() -> load.run(prefix, port)));
        }
        return load;
    }

    private void run(String prefix, int port) {
        int n = 0;
        while (!stop.get()) {
            try (SmtpTestClient client = new SmtpTestClient("127.0.0.1", port, 15_000)) {
                if (client.greeting().code() != 220 || client.ehlo("load.client.test").code() != 250) {
                    continue;
                }
                while (!stop.get()) {
                    String key = prefix + "-" + n++;
                    SmtpTestClient.Reply reply = client.sendMessage(sender(key), List.of(recipient(key)), content(key));
                    if (reply.code() == 250 && reply.text().contains("queued as ")) {
                        String text = reply.text();
                        acknowledged.put(text.substring(text.lastIndexOf(' ') + 1), key);
                    } else if (reply.code() == 421) {
                        break; // messages per session used up: a new connection
                    } else {
                        unexpected.add(key + ": " + reply);
                        break;
                    }
                }
            } catch (IOException e) {
                // The relay went away (killed) or is not up yet: no reply, so nothing was acknowledged.
                failures.incrementAndGet();
                sleepQuietly(50);
            }
        }
    }

    /** Replies that were neither 250 nor a session limit: none are expected. */
    List<String> unexpectedReplies() {
        return List.copyOf(unexpected);
    }

    int connectionFailures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
    }

    static String sender(String key) {
        return "s-" + key + "@client.test";
    }

    static String recipient(String key) {
        return "r-" + key + "@example.net";
    }

    /** The message for a key: 0.1 to 40 KB, no line starting with a dot, the same every time. */
    static String content(String key) {
        Random random = new Random(key.hashCode());
        StringBuilder s = new StringBuilder(256);
        s.append("Subject: durability ").append(key).append("\r\n");
        s.append("Message-ID: <").append(key).append("@client.test>\r\n\r\n");
        int lines = 1 + random.nextInt(random.nextInt(10) == 0 ? 500 : 40);
        for (int i = 0; i < lines; i++) {
            s.append("line ").append(i).append(" of ").append(key).append(' ')
                    .append("abcdefghijklmnopqrstuvwxyz0123456789".repeat(2), 0, random.nextInt(72))
                    .append("\r\n");
        }
        return s.toString();
    }

    static byte[] contentBytes(String key) {
        return content(key).getBytes(StandardCharsets.UTF_8);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
