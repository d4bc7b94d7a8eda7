package org.postern.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.testing.SmtpTestClient;

/**
 * Steady SMTP load for the soak: a fixed number of sessions, each sending one message per pace
 * interval and reconnecting after a fixed number of messages (so connections open and close all
 * the time, as applications' do). Each message has a unique Message-ID; the ones the relay
 * acknowledged with 250 are kept, to be found at the sink later.
 */
final class SteadyLoad implements AutoCloseable {

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connectionFailures = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private SteadyLoad() {
    }

    /**
     * @param perConnection messages sent on one connection before QUIT and a new connection
     */
    static SteadyLoad start(int port, int sessions, Duration pace, int perConnection) {
        SteadyLoad load = new SteadyLoad();
        for (int s = 0; s < sessions; s++) {
            int session = s;
            load.threads.add(Thread.ofPlatform().daemon().name("soak-client-" + s)
                    .start(() -> load.run(port, session, pace, perConnection)));
        }
        return load;
    }

    private void run(int port, int session, Duration pace, int perConnection) {
        Random random = new Random(session);
        int n = 0;
        long next = System.nanoTime();
        while (!stop.get()) {
            try (SmtpTestClient client = new SmtpTestClient("127.0.0.1", port, 30_000)) {
                if (client.greeting().code() != 220 || client.ehlo("soak.client.test").code() != 250) {
                    unexpected.add("session " + session + ": greeting or EHLO refused");
                    sleep(1000);
                    continue;
                }
                for (int i = 0; i < perConnection && !stop.get(); i++) {
                    String id = "soak-" + session + "-" + n++ + "@client.test";
                    SmtpTestClient.Reply reply = client.sendMessage("app" + session + "@client.test",
                            List.of("user" + (n % 50) + "@example.net"), content(id, random));
                    if (reply.code() == 250) {
                        acknowledged.add(id);
                    } else {
                        unexpected.add(id + ": " + reply);
                    }
                    next += pace.toNanos();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        sleep(wait / 1_000_000L);
                    } else {
                        next = System.nanoTime(); // behind: no burst to catch up
                    }
                }
                client.command("QUIT");
            } catch (IOException e) {
                connectionFailures.incrementAndGet();
                sleep(200);
            }
        }
    }

    /** A message of 0.3 to about 8 KB: headers, then lines of text. */
    static String content(String messageId, Random random) {
        StringBuilder s = new StringBuilder(1024);
        s.append("From: <app@client.test>\r\nTo: <user@example.net>\r\n");
        s.append("Subject: soak ").append(messageId).append("\r\n");
        s.append("Message-ID: <").append(messageId).append(">\r\n\r\n");
        int lines = 3 + random.nextInt(random.nextInt(8) == 0 ? 120 : 20);
        for (int i = 0; i < lines; i++) {
            s.append("line ").append(i).append(' ')
                    .append("the quick brown fox jumps over the lazy dog ", 0, 10 + random.nextInt(34)).append("\r\n");
        }
        return s.toString();
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    List<String> unexpectedReplies() {
        return List.copyOf(unexpected);
    }

    int connectionFailures() {
        return connectionFailures.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
