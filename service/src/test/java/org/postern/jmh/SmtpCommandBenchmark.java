package org.postern.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.postern.smtp.server.JmhAccess;

/**
 * Command parsing: one transaction's command lines as a client pipelines them (EHLO, MAIL with SIZE
 * and BODY, five RCPTs with NOTIFY and ORCPT, DATA), read from a buffer, verbs looked up, MAIL and
 * RCPT arguments split into parameters and their paths parsed into addresses. Per transaction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmtpCommandBenchmark {

    private static final int RECIPIENTS = 5;
    private final byte[] wire;
    private final int lines;

    public SmtpCommandBenchmark() {
        StringBuilder b = new StringBuilder("EHLO app1.example.org\r\n")
                .append("MAIL FROM:<app@example.org> SIZE=2048 BODY=8BITMIME\r\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            b.append("RCPT TO:<user").append(i).append("@example.net> NOTIFY=FAILURE,DELAY ORCPT=rfc822;user")
                    .append(i).append("@example.net\r\n");
        }
        b.append("DATA\r\n");
        wire = b.toString().getBytes(StandardCharsets.US_ASCII);
        lines = RECIPIENTS + 3;
    }

    @Benchmark
    public int transactionCommands() throws Exception {
        return JmhAccess.parseCommands(wire, lines);
    }
}
