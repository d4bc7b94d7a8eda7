package org.postern.jmh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.smtp.server.JmhAccess;

/**
 * The DATA reader with its smuggling checks (invariant 4): content of {@code size} octets in
 * 78-octet CRLF lines, every tenth line dot-stuffed, up to CRLF "." CRLF; every byte is checked for a
 * bare CR or LF. {@code normalize=false} is the default (a bare line ending is refused);
 * {@code true} is the normalising mode. Per message; octets per second = size / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DataReaderBenchmark {

    @Param({"2048", "102400"})
    public int size;

    @Param({"false", "true"})
    public boolean normalize;

    private byte[] wire;

    @Setup
    public void message() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 100);
        out.writeBytes("From: <app@example.org>\r\nTo: <user@example.net>\r\nSubject: bench\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        String line = "x".repeat(76) + "\r\n";
        String stuffed = ".." + "y".repeat(74) + "\r\n"; // a line starting with a dot, as the client sends it
        for (int n = 0; out.size() + line.length() <= size; n++) {
            out.writeBytes((n % 10 == 9 ? stuffed : line).getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
        wire = out.toByteArray();
        if (JmhAccess.readData(wire, normalize) < 0) {
            throw new IllegalStateException("the benchmark message does not end properly");
        }
    }

    @Benchmark
    public long read() throws Exception {
        return JmhAccess.readData(wire, normalize);
    }
}
