package org.postern.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.postern.config.DaemonModifiers;
import org.postern.header.HeaderCapture;
import org.postern.header.HeaderChecks;
import org.postern.header.HeaderVerdict;
import org.postern.maillog.MailLog;
import org.postern.smtp.Envelope;
import org.postern.smtp.Replies;
import org.postern.smtp.SmtpReply;
import org.postern.spool.SpoolWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, from greeting to close, on its own virtual thread. Commands are read one
 * line at a time and handed to their {@link Command}; replies are buffered until the session next
 * waits for input, so pipelined commands are answered in one write.
 */
final class SmtpSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    /** The largest header block kept for delivery; a larger one is read back from the spool file. */
    static final int CACHED_HEADER_BLOCK = 8 * 1024;

    final DaemonPort daemonPort;
    final ServerContext context;
    final SessionSettings settings;
    final InetAddress clientAddress;
    private volatile Socket socket;
    /** The TCP socket under any TLS layer: a drain shuts its input to wake a session waiting for a command. */
    private final Socket tcp;
    private final BooleanSupplier draining;
    /** True while the session waits for a command outside a transaction: a drain may end it at once. */
    private volatile boolean awaitingCommand;
    private SmtpInput input;
    /** Volatile: the write watchdog reads it from its own thread. */
    private volatile SmtpOutput output;
    private final Runnable onClose;

    /** The EHLO/HELO argument; null until the client greets (and again after STARTTLS). */
    String heloName;
    boolean esmtp;
    String authenticatedAs;
    /** The SASL mechanism {@link #authenticatedAs} was established with (${auth_type}). */
    String authMechanism;
    Transaction transaction;
    private int errors;
    /** NOOP, RSET, VRFY and HELP since the last accepted message. */
    private int junk;
    private int messages;
    private boolean closing;

    SmtpSession(Socket socket, DaemonPort daemonPort, ServerContext context, BooleanSupplier draining,
            Runnable onClose) {
        this.socket = socket;
        this.tcp = socket;
        this.draining = draining;
        this.daemonPort = daemonPort;
        this.context = context;
        this.settings = context.settings();
        this.clientAddress = socket.getInetAddress();
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try {
            if (daemonPort.has(DaemonModifiers.IMPLICIT_TLS)) {
                socket = handshake(socket);
            }
            attachStreams();
            if (!draining.getAsBoolean()) {
                output.reply(SmtpReply.of(220, null, settings.hostname() + " ESMTP Postern"));
            }
            while (!closing) {
                // Written before the drain flag is read, as SmtpServer#drain writes its flag before
                // reading this: either this session sees the drain or the drain wakes it.
                awaitingCommand = transaction == null;
                if (awaitingCommand && draining.getAsBoolean()) {
                    shutDown();
                    break;
                }
                input.startCommandClock(settings.commandTimeout().toMillis());
                String line = input.readLine(settings.maxCommandLineLength(), settings.normalize());
                awaitingCommand = false;
                if (transaction == null && draining.getAsBoolean()) {
                    shutDown(); // read as the drain began: not acted on
                    break;
                }
                if (line == null) {
                    reply(switch (input.lastProblem()) {
                        case TOO_LONG -> Replies.LINE_TOO_LONG;
                        case BARE_LINE_ENDING -> Replies.BARE_LINE_ENDING_IN_COMMAND;
                        default -> Replies.SYNTAX_ERROR.withText("Invalid characters in command");
                    });
                } else {
                    dispatch(line);
                }
                if (errors >= settings.maxErrors() && !closing) {
                    closeWith(Replies.TOO_MANY_ERRORS);
                }
            }
            output.flush();
        } catch (SessionTimeoutException e) {
            log.info("{} from [{}]: {}, closing", daemonPort.name(), clientAddress.getHostAddress(), e.getMessage());
            quietly(() -> {
                output.reply(Replies.TIMEOUT);
                output.flush();
            });
        } catch (EOFException | SocketException e) {
            if (draining.getAsBoolean() && awaitingCommand) {
                sayShuttingDown(); // woken by the drain (or the client left at that moment)
            } else {
                log.debug("{} from [{}]: connection lost: {}", daemonPort.name(), clientAddress.getHostAddress(),
                        e.toString());
            }
        } catch (IOException e) {
            if (draining.getAsBoolean() && awaitingCommand) {
                sayShuttingDown(); // a TLS session woken by the drain
            } else {
                log.info("{} from [{}]: session ended: {}", daemonPort.name(), clientAddress.getHostAddress(),
                        e.toString());
            }
        } catch (RuntimeException e) {
            log.error("{} from [{}]: internal error", daemonPort.name(), clientAddress.getHostAddress(), e);
            quietly(() -> {
                output.reply(Replies.LOCAL_ERROR_CLOSING);
                output.flush();
            });
        } finally {
            if (transaction != null) {
                transaction.abort();
            }
            quietly(socket::close);
            onClose.run();
        }
    }

    private void attachStreams() throws IOException {
        output = new SmtpOutput(socket.getOutputStream());
        InputStream in = socket.getInputStream();
        input = new SmtpInput(socket, in, output, settings.idleTimeout().toMillis());
    }

    private void dispatch(String line) throws IOException {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1);
        Command command = Commands.get(verb);
        if (command == null) {
            reply(Replies.SYNTAX_ERROR);
            return;
        }
        if (Commands.isJunk(verb) && ++junk > settings.maxJunkCommands()) {
            errors++; // answered as usual, but towards max-errors: the loop closes the session at the limit
        }
        command.execute(this, argument);
    }

    // --- what commands use ---------------------------------------------------------------

    /** Sends a reply; every 4xx or 5xx counts towards the session's error limit. */
    void reply(SmtpReply reply) throws IOException {
        if (!reply.isPositive()) {
            errors++;
        }
        output.reply(reply);
    }

    /** A refusal the protocol expects a well-behaved client to get (452 4.5.3): not counted as an error. */
    void replyWithoutError(SmtpReply reply) throws IOException {
        output.reply(reply);
    }

    void continuation(String base64) throws IOException {
        output.continuation(base64);
    }

    /** Sends a last reply and ends the session after it. */
    void closeWith(SmtpReply reply) throws IOException {
        output.reply(reply);
        output.flush();
        closing = true;
    }

    /**
     * Ends the session at once after a protocol violation that leaves the session out of step with
     * the client (bare line ending in DATA): whatever else the client sent is never read.
     */
    void abortWith(SmtpReply reply) throws IOException {
        closeWith(reply);
        quietly(socket::shutdownOutput);
        // Read off a little of what is in flight so the close does not reset the connection
        // before the client has read the reply; none of it is interpreted.
        quietly(() -> {
            socket.setSoTimeout(200);
            byte[] sink = new byte[8192];
            long deadline = System.nanoTime() + 1_000_000_000L;
            int total = 0;
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < deadline && total < 1 << 20) {
                int n = in.read(sink);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        });
    }

    SmtpInput input() {
        return input;
    }

    /** Reads an AUTH continuation line; null when the line was malformed. */
    String readContinuation() throws IOException {
        return input.readLine(settings.maxCommandLineLength(), settings.normalize());
    }

    Socket socket() {
        return socket;
    }

    boolean tlsActive() {
        return socket instanceof SSLSocket;
    }

    boolean startTlsOffered() {
        return context.tls() != null && !tlsActive() && !daemonPort.has(DaemonModifiers.NO_STARTTLS);
    }

    boolean authOffered() {
        return context.authenticator().hasUsers() && !daemonPort.has(DaemonModifiers.NO_AUTH)
                && (tlsActive() || settings.authWithoutTls());
    }

    boolean authRequired() {
        return daemonPort.has(DaemonModifiers.REQUIRE_AUTH) && !daemonPort.has(DaemonModifiers.NO_AUTH);
    }

    boolean messageLimitReached() {
        return messages >= settings.maxMessagesPerSession();
    }

    /** STARTTLS: the plain-text buffer is dropped before the handshake (CVE-2011-0411). */
    void upgradeToTls() throws IOException {
        output.flush();
        int discarded = input.buffered();
        input.discardBuffered();
        if (discarded > 0) {
            log.info("{} from [{}]: discarded {} bytes pipelined after STARTTLS", daemonPort.name(),
                    clientAddress.getHostAddress(), discarded);
        }
        socket = handshake(socket);
        attachStreams();
        // RFC 3207 §4.2: forget everything learnt from the client before TLS.
        heloName = null;
        esmtp = false;
        authenticatedAs = null;
        if (transaction != null) {
            transaction.abort();
            transaction = null;
        }
    }

    /**
     * The TLS handshake, bounded as a command is: each read by the idle timeout, the whole by the
     * command timeout, so a client that never sends its ClientHello (SMTPS), or trickles it a byte at
     * a time, cannot hold the session. Past the deadline the socket is closed, which fails the handshake.
     */
    private Socket handshake(Socket plain) throws IOException {
        plain.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis())));
        Thread deadline = Thread.ofVirtual().name("smtp-tls-deadline").start(() -> {
            try {
                Thread.sleep(settings.commandTimeout());
                log.info("{} from [{}]: TLS handshake not done within the command timeout, closing", daemonPort.name(),
                        clientAddress.getHostAddress());
                quietly(plain::close);
            } catch (InterruptedException done) {
                // the handshake ended first
            }
        });
        try {
            return context.tls().upgrade(plain);
        } finally {
            deadline.interrupt();
        }
    }

    /**
     * For the {@link WriteWatchdog}: a blocking write has no timeout of its own, so a client that
     * stopped reading our replies (its window full) would hold the session for ever. Past the idle
     * timeout the TCP socket is closed, which fails the write and ends the session.
     */
    void closeIfWriteStalled(long nowNanos) {
        SmtpOutput out = output;
        if (out != null && out.stalledNanos(nowNanos) > settings.idleTimeout().toNanos()) {
            log.info("{} from [{}]: replies not read for longer than the idle timeout, closing", daemonPort.name(),
                    clientAddress.getHostAddress());
            quietly(tcp::close);
        }
    }

    /** A message the client was told is accepted; as Postfix, it starts the junk-command count again. */
    private void countMessage() {
        messages++;
        junk = 0;
    }

    /** Starts the spool file for the current transaction and writes the Received header. */
    SmtpReply openContent(Transaction tx) {
        String queueId = context.spool().newQueueId();
        ZonedDateTime now = ZonedDateTime.now(context.clock());
        Envelope envelope = new Envelope(queueId, now.toInstant(), tx.sender, tx.recipients, tx.body, tx.smtpUtf8,
                tx.ret, tx.envId, clientAddress.getHostAddress(), null, heloName, authenticatedAs, protocol(tx),
                daemonPort.name(), sourceAddress());
        SpoolWriter writer;
        OutputStream content;
        try {
            writer = context.spool().create(envelope);
            // The header block as stored, kept for delivery (header rules) so it need not read the file back.
            tx.headerCache = new HeaderCapture(CACHED_HEADER_BLOCK);
            content = tx.headerCache.teeTo(writer.content());
            // The Received rule (postern.headers), expanded with this session's macros.
            tx.headers = context.headers().get(); // one configuration for the whole message
            byte[] received = tx.headers.received(SessionMacros.of(this, tx, envelope, now));
            content.write(received);
            tx.receivedHeaderLength = received.length;
        } catch (IOException e) {
            tx.abort();
            return storeFailure(e);
        }
        tx.queueId = queueId;
        tx.envelope = envelope;
        tx.writer = writer;
        // With header checks, the header block is kept as it streams past, for checking before the commit.
        tx.headerCapture = tx.headers.checks().isEmpty() ? null : new HeaderCapture(HeaderChecks.MAX_HEADER_BLOCK);
        tx.sink = new MessageSink(tx.headerCapture == null ? content : tx.headerCapture.teeTo(content),
                settings.maxMessageSize(), settings.maxDataLineLength(), settings.normalize());
        return null;
    }

    /** DaemonPortOptions modifier b: the address this session was accepted on, for delivery to bind to. */
    private String sourceAddress() {
        return daemonPort.has(DaemonModifiers.BIND_TO_RECEIVING_INTERFACE)
                ? socket.getLocalAddress().getHostAddress() : null;
    }

    /** After the last content byte: commit to the spool (fsync) and only then answer 250. */
    SmtpReply finishContent(Transaction tx) {
        long endOfData = System.nanoTime();
        MessageSink sink = tx.sink;
        sink.finish();
        SmtpReply reply = switch (sink.outcome()) {
            case OK -> checkHeadersAndCommit(tx, endOfData);
            case TOO_BIG -> received(MessageReceivedListener.REJECTED_SIZE, Replies.MESSAGE_TOO_BIG);
            case LINE_TOO_LONG -> received(MessageReceivedListener.REJECTED_LINE, Replies.DATA_LINE_TOO_LONG);
            case BARE_LINE_ENDING -> received(MessageReceivedListener.REJECTED_BARE_LINE_ENDING,
                    Replies.BARE_LINE_ENDING_IN_DATA);
            case STORE_FAILED -> received(MessageReceivedListener.STORE_FAILED, storeFailure(sink.storeFailure()));
            case NUL -> received(MessageReceivedListener.REJECTED_NUL, Replies.NUL_IN_DATA);
        };
        tx.abort(); // no-op after a commit
        transaction = null;
        return reply;
    }

    /** Header checks (postern.header-checks) decide before the commit: reject, discard, or go on. */
    private SmtpReply checkHeadersAndCommit(Transaction tx, long endOfData) {
        HeaderVerdict verdict = tx.headerCapture == null ? HeaderVerdict.ACCEPT
                : tx.headers.checks().check(tx.headerCapture.block());
        return switch (verdict) {
            case HeaderVerdict.Accept a -> commit(tx, endOfData);
            case HeaderVerdict.Reject r -> {
                log.info("{} rejected: header {} refused by ruleset {}: from=<{}> client=[{}]", tx.queueId, r.header(),
                        r.ruleset(), tx.sender, clientAddress.getHostAddress());
                yield received(MessageReceivedListener.REJECTED_HEADER, Replies.HEADER_CHECK_REJECTED.withText(r.text()));
            }
            case HeaderVerdict.TooLarge t -> received(MessageReceivedListener.REJECTED_HEADER, Replies.HEADERS_TOO_LARGE);
            case HeaderVerdict.Discard d -> {
                // sendmail's $#discard: the client is told it was accepted; nothing is stored or delivered.
                log.info("{} discarded: header {} matched ruleset {}: from=<{}> nrcpt={} client=[{}]", tx.queueId,
                        d.header(), d.ruleset(), tx.sender, tx.recipients.size(), clientAddress.getHostAddress());
                countMessage();
                yield received(MessageReceivedListener.DISCARDED, Replies.OK.withText("OK queued as " + tx.queueId));
            }
        };
    }

    private SmtpReply commit(Transaction tx, long endOfData) {
        try {
            tx.writer.commit();
            tx.writer = null;
        } catch (IOException e) {
            return received(MessageReceivedListener.STORE_FAILED, storeFailure(e));
        }
        context.accepted().accepted(tx.envelope, tx.receivedHeaderLength + tx.sink.size(), tx.headerCache.completeBlock());
        context.received().received(daemonPort.name(), MessageReceivedListener.ACCEPTED);
        countMessage();
        MailLog.received(tx.queueId, String.valueOf(tx.sender), tx.receivedHeaderLength + tx.sink.size(),
                tx.recipients.size(), null, clientAddress.getHostAddress(), heloName, protocol(tx), authenticatedAs);
        context.received().committed(daemonPort.name(), System.nanoTime() - endOfData);
        return Replies.OK.withText("OK queued as " + tx.queueId);
    }

    private SmtpReply received(String outcome, SmtpReply reply) {
        context.received().received(daemonPort.name(), outcome);
        return reply;
    }

    /** A spool failure: temporary for the client, with details only in our log. */
    private SmtpReply storeFailure(IOException e) {
        log.error("spool write failed for a message from [{}]: {}", clientAddress.getHostAddress(), e.toString());
        String why = String.valueOf(e instanceof FileSystemException fse ? fse.getReason() : e.getMessage());
        return why.contains("No space left") || why.contains("Disk quota")
                ? Replies.INSUFFICIENT_STORAGE : Replies.LOCAL_ERROR;
    }

    String protocol(Transaction tx) {
        if (!esmtp) {
            return "SMTP";
        }
        return (tx != null && tx.smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tlsActive() ? "S" : "")
                + (authenticatedAs != null ? "A" : "");
    }

    void enhancedStatusCodes(boolean on) {
        output.enhancedStatusCodes(on);
    }

    void close() {
        closing = true;
        quietly(socket::close);
    }

    /**
     * For a drain: wakes the session if it is blocked waiting for a command outside a transaction,
     * by shutting the input of its TCP socket; the session thread then sends 421 4.3.2 and closes.
     * A session in a transaction is left alone: it finishes and gets the 421 after its reply.
     */
    void wakeIfIdle() {
        if (awaitingCommand) {
            quietly(tcp::shutdownInput);
        }
    }

    /**
     * The drain's 421, then a gentle close: whatever the client pipelined after its last command is
     * read off and dropped, so the close does not reset the connection before the client has read
     * the replies already sent (the 250 for its message among them).
     */
    private void shutDown() throws IOException {
        log.debug("{} from [{}]: closing for the drain", daemonPort.name(), clientAddress.getHostAddress());
        abortWith(Replies.SHUTTING_DOWN);
    }

    /** After the drain woke the session: the input is gone, the output may still take the 421. */
    private void sayShuttingDown() {
        log.debug("{} from [{}]: closing for the drain", daemonPort.name(), clientAddress.getHostAddress());
        quietly(() -> {
            output.reply(Replies.SHUTTING_DOWN);
            output.flush();
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException ignored) {
            // the session is ending anyway
        }
    }
}
