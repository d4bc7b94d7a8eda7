package org.postern.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postern.testing.SmtpAssertions.assertReply;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postern.testing.SmtpTestClient;
import org.postern.testing.SmtpTestClient.Reply;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Slow clients at the connection limit ({@code max-sessions=4}, {@code max-sessions-per-client=2},
 * {@code idle-timeout=2s}, {@code command-timeout=3s}): sessions that send a byte now and then fill
 * every slot; a client past a limit is told {@code 421 4.7.0} at once instead of hanging; the
 * command timeout reclaims the slots, each slow session getting {@code 421 4.4.2}; then a normal
 * client gets through. The same for a TLS handshake trickled a byte at a time (STARTTLS, and an SMTPS
 * listener, where a client may also send nothing at all), and for a client that pipelines commands
 * and never reads the replies: other sessions go on, and its session is closed.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "postern.limits.max-sessions=4",
        "postern.limits.max-sessions-per-client=2",
        "postern.limits.idle-timeout=2s",
        "postern.limits.command-timeout=3s",
        // A small send buffer, so that a client that does not read fills it quickly.
        "postern.daemon-ports[0].snd-buf-size=4KB",
        "postern.daemon-ports[1].name=SMTPS",
        "postern.daemon-ports[1].addr=127.0.0.1",
        "postern.daemon-ports[1].port=0",
        "postern.daemon-ports[1].modifiers=s",
})
class SlowlorisTest extends HostileInputBase {

    private final List<Thread> tricklers = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void noSessionsLeft() throws Exception {
        awaitSessionsClosed(java.time.Duration.ofSeconds(10));
    }

    @AfterEach
    void stopTheSlowClients() throws Exception {
        tricklers.forEach(Thread::interrupt);
        for (Thread t : tricklers) {
            t.join(5000);
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void slowSessionsAtTheLimitAreRefusedClearlyThenReclaimed() throws Exception {
        List<SmtpTestClient> slow = new ArrayList<>();
        for (String from : List.of("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3")) {
            SmtpTestClient client = SmtpTestClient.connectFrom(from, smtpPort());
            open.add(client);
            assertThat(client.greeting().code()).isEqualTo(220);
            slow.add(client);
            trickle(client.socket(), "EHLO " + "s".repeat(60) + ".example\r\n", 700);
        }
        long start = System.nanoTime();

        // Past the per-client limit, and past the total: an immediate, clear 421 and a close.
        try (SmtpTestClient third = SmtpTestClient.connectFrom("127.0.0.2", smtpPort())) {
            long asked = System.nanoTime();
            Reply refused = third.read();
            assertReply(refused, 421, "4.7.0");
            assertThat(refused.text()).contains("Too many sessions");
            assertThat(millisSince(asked)).as("time to the refusal").isLessThan(2_000);
            assertThat(third.readToEnd()).isEmpty();
        }
        try (SmtpTestClient other = SmtpTestClient.connectFrom("127.0.0.4", smtpPort())) {
            Reply refused = other.read();
            assertReply(refused, 421, "4.7.0");
            assertThat(refused.text()).isEqualTo("4.7.0 Too many sessions, try again later");
        }

        // Bytes keep coming, so the idle timeout (2 s) never fires; the command timeout (3 s) does.
        for (SmtpTestClient client : slow) {
            client.timeout(15_000);
            Reply timeout = client.read();
            assertReply(timeout, 421, null); // before EHLO: no enhanced code
            assertThat(timeout.text()).startsWith("Timeout");
            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(millisSince(start)).as("time until every slot was reclaimed").isBetween(2_000L, 12_000L);
        // The health check that follows is the normal client that now gets through.
    }

    @Test
    void aTrickledStartTlsHandshakeIsCutOffByTheCommandTimeout() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            assertReply(client.command("STARTTLS"), 220, "2.0.0");
            long start = System.nanoTime();
            trickle(client.socket(), clientHello(), 300);
            // The idle timeout would never fire; the whole handshake is bounded by the command timeout.
            client.timeout(20_000);
            assertThat(client.isClosedByServer()).isTrue();
            assertThat(millisSince(start)).isBetween(2_000L, 12_000L);
        }
    }

    @Test
    void anSmtpsClientThatNeverStartsTheHandshakeIsCutOff() throws Exception {
        int smtps = smtpServer.localPort("SMTPS");
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), smtps)) {
            long start = System.nanoTime();
            silent.setSoTimeout(20_000);
            assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(millisSince(start)).as("the idle timeout").isBetween(1_500L, 10_000L);
        }
        try (Socket trickled = new Socket(InetAddress.getLoopbackAddress(), smtps)) {
            long start = System.nanoTime();
            trickle(trickled, clientHello(), 300);
            trickled.setSoTimeout(20_000);
            assertThat(readUntilClosed(trickled.getInputStream())).isTrue();
            assertThat(millisSince(start)).as("the command timeout").isBetween(2_000L, 12_000L);
        }
    }

    @Test
    void aClientThatNeverReadsRepliesBlocksNoOneAndIsCutOff(CapturedOutput output) throws Exception {
        Socket deaf = new Socket();
        open.add(deaf);
        deaf.setReceiveBufferSize(1024); // before connecting, so the window stays small
        deaf.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        deaf.connect(new InetSocketAddress("127.0.0.1", smtpPort()));
        // Pipelined EHLOs, far more replies than the buffers hold, and never a read. (Not NOOPs: past
        // max-junk-commands those count as errors and end the session before the buffers fill.)
        Thread flood = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = deaf.getOutputStream();
                byte[] ehlos = "EHLO deaf.example\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 100 && !Thread.currentThread().isInterrupted(); i++) {
                    out.write(ehlos);
                }
            } catch (IOException e) {
                // the server closed the connection
            }
        });
        tricklers.add(flood);
        long start = System.nanoTime();

        // Meanwhile other clients are served at once.
        for (int i = 0; i < 3; i++) {
            try (SmtpTestClient client = connectEhlo()) {
                long asked = System.nanoTime();
                assertReply(client.sendMessage("meanwhile@example.com", List.of("meanwhile@example.net"),
                        "Subject: while a client does not read\r\n\r\nbody"), 250, "2.0.0");
                assertThat(millisSince(asked)).isLessThan(5_000);
            }
        }

        // The deaf client's session is closed once its replies have waited longer than the idle timeout.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (smtpServer.activeSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(smtpServer.activeSessions()).as("sessions left").isZero();
        assertThat(millisSince(start)).isGreaterThan(1_500L);
        assertThat(output.getAll()).contains("from [127.0.0.2]: replies not read for longer than the idle timeout");
    }

    /** Sends {@code text} one byte at a time, every {@code everyMillis}, on a virtual thread. */
    private void trickle(Socket socket, String text, int everyMillis) {
        trickle(socket, text.getBytes(StandardCharsets.US_ASCII), everyMillis);
    }

    private void trickle(Socket socket, byte[] bytes, int everyMillis) {
        tricklers.add(Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(everyMillis);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server, or the test is over
            }
        }));
    }

    /** A real TLS ClientHello, as a client would send it first. */
    private static byte[] clientHello() throws IOException {
        SSLEngine engine = SmtpTestClient.trustAll().createSSLEngine("127.0.0.1", 25);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        assertThat(hello.length).as("ClientHello length").isGreaterThan(100);
        return hello;
    }

    /** True once the server closes (EOF or reset); whatever it sent before is ignored (a TLS alert). */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[1024];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
