package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's write bound against a real loopback peer that accepts and never reads. */
class WriteWatchdogTest {

    private ServerSocket server;
    private Socket client;
    private Socket accepted;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(4096);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket();
        client.setSendBufferSize(4096);
        client.connect(server.getLocalSocketAddress());
        accepted = server.accept(); // never read from: the client's writes fill both buffers, then block
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        server.close();
    }

    @Test
    void aWriteBlockedPastItsTimeoutClosesTheSocketAndFails() throws IOException {
        WriteWatchdog watchdog = new WriteWatchdog(client, client.getOutputStream(), Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(() -> writeForever(watchdog)).isInstanceOf(IOException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(watchdog.fired()).isTrue();
        assertThat(client.isClosed()).isTrue();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void writesThatReturnInTimeLeaveTheSocketOpen() throws IOException, InterruptedException {
        WriteWatchdog watchdog = new WriteWatchdog(client, client.getOutputStream(), Duration.ofMillis(200));
        watchdog.write(new byte[100]);
        watchdog.flush();
        Thread.sleep(3 * 200 + 2 * WriteWatchdog.TICK_MILLIS); // several ticks past the write's deadline
        assertThat(watchdog.fired()).isFalse();
        assertThat(client.isClosed()).isFalse();
        watchdog.write(new byte[100]); // still usable
    }

    @Test
    void theScannerParkedWhileIdleWakesForTheNextWrite() throws Exception {
        new WriteWatchdog(client, client.getOutputStream(), Duration.ofSeconds(5)).write(new byte[10]);
        Thread scanner = scannerThread();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scanner.getState() != Thread.State.WAITING && System.nanoTime() < until) {
            Thread.sleep(50); // the scanner parks for good after about 5 s without writes
        }
        assertThat(scanner.getState()).isEqualTo(Thread.State.WAITING);

        WriteWatchdog watchdog = new WriteWatchdog(client, client.getOutputStream(), Duration.ofMillis(300));
        assertThatThrownBy(() -> writeForever(watchdog)).isInstanceOf(IOException.class);
        assertThat(watchdog.fired()).isTrue();
    }

    private static void writeForever(OutputStream out) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 100_000; i++) { // 6 GB: far more than any socket buffer
            out.write(chunk);
        }
        throw new AssertionError("the peer never reads, yet 6 GB were written");
    }

    private static Thread scannerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("smtp-client-write-watchdog"))
                .findFirst().orElseThrow(() -> new AssertionError("no smtp-client-write-watchdog thread"));
    }
}
