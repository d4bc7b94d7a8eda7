package org.postern.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.MailAddress;
import org.postern.smtp.SmtpReply;
import org.postern.smtp.client.SmtpClientException.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open outbound SMTP session, greeted, past EHLO, STARTTLS and AUTH (see
 * {@link SmtpClient#connect}). Call {@link #send} once per transaction, as often as the session
 * stays {@link #isReusable() reusable}, then {@link #quit()}. Blocking and not thread-safe: one
 * session belongs to one (virtual) thread.
 *
 * <p>A negative reply to MAIL, RCPT or DATA is a result, not an exception: it comes back in the
 * {@link TransactionResult}. An exception means the session failed (network error, timeout,
 * protocol error, 421) and has been closed.
 */
public final class SmtpClientSession implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(SmtpClientSession.class);

    private final Socket raw;
    private final String peer;
    private final SmtpTimeouts timeouts;
    private final SessionOptions options;
    private ReplyReader reader;
    private WriteWatchdog writer;
    /** Writes the content of each transaction; kept for the connection so its buffers are not allocated per message. */
    private DotStuffer stuffer;
    private EhloCapabilities capabilities = EhloCapabilities.NONE;
    private boolean enhancedStatusCodes;
    private String greetingName = "";
    private boolean greetingSaysEsmtp;
    private String helloName = "";
    private SSLSocket tlsSocket;
    private boolean broken;
    private boolean closed;
    /** A transaction was opened (MAIL accepted) and not ended by the reply to the final dot. */
    private boolean needsRset;

    SmtpClientSession(Socket raw, InetSocketAddress remote, SmtpTimeouts timeouts) throws IOException {
        this(raw, remote, timeouts, SessionOptions.DEFAULT);
    }

    SmtpClientSession(Socket raw, InetSocketAddress remote, SmtpTimeouts timeouts, SessionOptions options)
            throws IOException {
        this.raw = raw;
        this.peer = remote.getAddress().getHostAddress() + ":" + remote.getPort();
        this.timeouts = timeouts;
        this.options = options;
        this.reader = new ReplyReader(raw, raw.getInputStream());
        this.writer = new WriteWatchdog(raw, raw.getOutputStream(), timeouts.ehlo());
    }

    /** Whether the next hop announced this EHLO keyword (case-insensitive), e.g. {@code "PIPELINING"}. */
    public boolean supports(String extension) {
        return capabilities.supports(extension);
    }

    /** The SIZE limit the next hop announced (RFC 1870), 0 when none. */
    public long maxSize() {
        return capabilities.maxSize();
    }

    public boolean tlsActive() {
        return tlsSocket != null;
    }

    /** The first word of the 220 greeting: the name the next hop gives itself. */
    public String remoteGreetingName() {
        return greetingName;
    }

    /** The first word of the EHLO, LHLO or HELO reply: the name the next hop gives itself there. */
    public String remoteHelloName() {
        return helloName;
    }

    /** Whether the session speaks LMTP (RFC 2033). */
    public boolean lmtp() {
        return options.lmtp();
    }

    /** True while the connection is open and in step, so another transaction may follow. */
    public boolean isReusable() {
        return !closed && !broken;
    }

    // ---- session setup, called by SmtpClient.connect ----

    void greeting() throws SmtpClientException {
        SmtpReply greeting = read(Phase.GREETING, timeouts.greeting());
        if (greeting.code() != 220) {
            // 554 here means "no SMTP service here" (RFC 5321 §3.1): it will say so again
            throw fail(SmtpClientException.rejected(Phase.GREETING, "greeting refused", greeting, true));
        }
        greetingName = firstWord(greeting);
        // sendmail: strstr(SmtpReplyBuffer, "ESMTP"), case-sensitive, anywhere in the greeting
        greetingSaysEsmtp = greeting.lines().stream().anyMatch(l -> l.contains("ESMTP"));
    }

    private static String firstWord(SmtpReply reply) {
        String first = reply.lines().get(0).strip();
        int space = first.indexOf(' ');
        return space < 0 ? first : first.substring(0, space);
    }

    /**
     * The greeting command the mailer asks for ({@link SessionOptions.Hello}): LHLO for LMTP; EHLO,
     * or HELO when the server does not know EHLO (RFC 5321 §3.2); EHLO only when the 220 greeting
     * says ESMTP (sendmail without flag {@code a}); or HELO.
     */
    void hello(String heloName) throws SmtpClientException {
        switch (options.hello()) {
            case LHLO -> {
                SmtpReply lhlo = command(Phase.EHLO, timeouts.ehlo(), "LHLO " + heloName);
                if (!lhlo.isPositive()) {
                    throw fail(SmtpClientException.rejected(Phase.EHLO, "LHLO refused", lhlo, true));
                }
                extensions(lhlo);
                return;
            }
            case HELO -> {
                helo(heloName);
                return;
            }
            case EHLO_IF_GREETING_SAYS_ESMTP -> {
                if (!greetingSaysEsmtp) {
                    helo(heloName);
                    return;
                }
            }
            case EHLO -> {
                // below
            }
        }
        SmtpReply ehlo = command(Phase.EHLO, timeouts.ehlo(), "EHLO " + heloName);
        if (ehlo.isPositive()) {
            extensions(ehlo);
            return;
        }
        boolean unknownCommand = switch (ehlo.code()) {
            case 500, 502, 504, 550 -> true;
            default -> false;
        };
        if (!unknownCommand || tlsActive()) {
            throw fail(SmtpClientException.rejected(Phase.EHLO, "EHLO refused", ehlo, true));
        }
        helo(heloName);
    }

    private void extensions(SmtpReply ehlo) {
        capabilities = EhloCapabilities.parse(ehlo);
        enhancedStatusCodes = capabilities.supports("ENHANCEDSTATUSCODES");
        helloName = firstWord(ehlo);
    }

    private void helo(String heloName) throws SmtpClientException {
        SmtpReply helo = command(Phase.EHLO, timeouts.ehlo(), "HELO " + heloName);
        if (!helo.isPositive()) {
            throw fail(SmtpClientException.rejected(Phase.EHLO, "HELO refused", helo, true));
        }
        capabilities = EhloCapabilities.NONE;
        enhancedStatusCodes = false;
        helloName = firstWord(helo);
    }

    /** Sends STARTTLS; returns its reply, after which the caller decides (policy). */
    SmtpReply requestStartTls() throws SmtpClientException {
        return command(Phase.STARTTLS, timeouts.startTls(), "STARTTLS");
    }

    /**
     * The TLS handshake after a 220 to STARTTLS (RFC 3207). Anything the server sent after its 220
     * and before the handshake is refused: it would otherwise be read as if it came under TLS
     * (the response-injection counterpart of CVE-2011-0411).
     */
    void handshake(SSLContext context, String hostName, boolean verify) throws SmtpClientException {
        try {
            if (reader.buffered() > 0 || raw.getInputStream().available() > 0) {
                throw fail(SmtpClientException.temporary(Phase.STARTTLS,
                        "protocol error: data after the STARTTLS reply, before the TLS handshake",
                        ClientReplies.PROTOCOL_ERROR, null));
            }
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, hostName, raw.getPort(), true);
            socket.setUseClientMode(true);
            SSLParameters parameters = socket.getSSLParameters();
            if (isDnsName(hostName)) {
                parameters.setServerNames(List.of(new SNIHostName(hostName)));
            }
            if (verify) {
                // RFC 6125 name matching as for HTTPS: DNS-ID in subjectAltName, wildcard in the left label only
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeouts.startTls().toMillis()));
            writer.guard(timeouts.startTls(), () -> {
                socket.startHandshake();
                return null;
            });
            tlsSocket = socket;
            reader = new ReplyReader(socket, socket.getInputStream());
            writer = new WriteWatchdog(raw, socket.getOutputStream(), timeouts.ehlo());
            capabilities = EhloCapabilities.NONE; // forget what was said in the clear (RFC 3207 §4.2)
            log.debug("{} TLS {} {}", peer, socket.getSession().getProtocol(), socket.getSession().getCipherSuite());
        } catch (SmtpClientException e) {
            throw e;
        } catch (SSLException e) {
            throw fail(SmtpClientException.temporary(Phase.STARTTLS, "TLS handshake failed: " + e.getMessage(),
                    ClientReplies.TLS_FAILED, e));
        } catch (IOException e) {
            throw fail(ioFailure(Phase.STARTTLS, e));
        }
    }

    /**
     * AUTH PLAIN (preferred) or LOGIN (RFC 4954) when credentials are set, the server offers one of
     * them, and TLS is active or AUTH in the clear is allowed. A refusal is temporary: the
     * credentials or the server may be fixed before the next attempt.
     */
    void authenticate(ClientCredentials credentials, boolean allowWithoutTls) throws SmtpClientException {
        Set<String> mechanisms = capabilities.authMechanisms();
        if (mechanisms.isEmpty()) {
            log.debug("{} credentials configured but AUTH not offered; continuing without", peer);
            return;
        }
        if (!tlsActive() && !allowWithoutTls) {
            log.debug("{} AUTH offered without TLS and not allowed in the clear; continuing without", peer);
            return;
        }
        SmtpReply reply;
        if (mechanisms.contains("PLAIN")) {
            String response = base64("\0" + credentials.username() + "\0" + credentials.password());
            reply = secret(Phase.AUTH, "AUTH PLAIN " + response, "AUTH PLAIN <redacted>");
            if (reply.code() == 334) { // a server that ignores the initial response asks for it
                reply = secret(Phase.AUTH, response, "<redacted>");
            }
        } else if (mechanisms.contains("LOGIN")) {
            reply = command(Phase.AUTH, timeouts.auth(), "AUTH LOGIN");
            if (reply.code() == 334) {
                reply = secret(Phase.AUTH, base64(credentials.username()), "<redacted>");
            }
            if (reply.code() == 334) {
                reply = secret(Phase.AUTH, base64(credentials.password()), "<redacted>");
            }
        } else {
            log.debug("{} no AUTH mechanism in common (offered {}); continuing without", peer, mechanisms);
            return;
        }
        if (reply.code() != 235) {
            if (reply.code() == 334) {
                write(Phase.AUTH, timeouts.auth(), List.of("*"), "*"); // cancel the exchange (RFC 4954 §4)
            }
            throw fail(SmtpClientException.temporary(Phase.AUTH, "authentication failed", reply, null));
        }
    }

    // ---- transactions ----

    /**
     * Runs one mail transaction. Pipelined (RFC 2920) when offered: RSET if needed, MAIL, every
     * RCPT and DATA go out in one write, then the replies are read in order; otherwise one command
     * at a time. Refusals the client can decide alone (SIZE, SMTPUTF8) are synthesised without
     * sending anything for the recipients concerned.
     *
     * @throws SmtpClientException when the session fails; it is closed and no recipient was delivered
     *                             by this call, except that a failure in {@link Phase#DATA_END} leaves it
     *                             unknown whether the next hop took the message
     * @throws IllegalStateException when the session is no longer usable
     */
    public TransactionResult send(OutboundMessage message) throws SmtpClientException {
        if (!isReusable()) {
            throw new IllegalStateException("session to " + peer + " is closed or failed");
        }
        int n = message.recipients().size();
        SmtpReply[] rcpt = new SmtpReply[n];
        boolean dsn = supports("DSN");
        long max = maxSize();
        if (max > 0 && message.size() > max) {
            Arrays.fill(rcpt, ClientReplies.MESSAGE_TOO_BIG);
            return result(ClientReplies.MESSAGE_TOO_BIG, rcpt, null, dsn);
        }
        boolean smtpUtf8 = false;
        if (message.requiresSmtpUtf8()) {
            if (supports("SMTPUTF8")) {
                smtpUtf8 = true;
            } else if (message.sender().isInternationalized()) {
                Arrays.fill(rcpt, ClientReplies.SMTPUTF8_NOT_OFFERED);
                return result(ClientReplies.SMTPUTF8_NOT_OFFERED, rcpt, null, dsn);
            } else {
                for (int i = 0; i < n; i++) {
                    if (message.recipients().get(i).address().isInternationalized()) {
                        rcpt[i] = ClientReplies.SMTPUTF8_NOT_OFFERED;
                    }
                }
            }
        }
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (rcpt[i] == null) {
                toSend.add(i);
            }
        }
        if (toSend.isEmpty()) {
            return result(null, rcpt, null, dsn);
        }
        Transfer transfer = transfer(message);
        String mail = mailCommand(message, supports("SIZE"), smtpUtf8, transfer.declareEightBit(), dsn,
                options.reversePathVia());
        List<String> rcptCommands = new ArrayList<>();
        for (int i : toSend) {
            rcptCommands.add(rcptCommand(message.recipients().get(i), dsn));
        }
        return supports("PIPELINING")
                ? pipelined(message, mail, rcptCommands, toSend, rcpt, transfer, dsn)
                : lockstep(message, mail, rcptCommands, toSend, rcpt, transfer, dsn);
    }

    /**
     * How the content goes to this next hop.
     *
     * @param downgrade       convert 8BITMIME content to 7 bit (RFC 6152 §3)
     * @param upgrade         decode a quoted-printable body to 8bit (flag 9), or null
     * @param stripAll        clear the eighth bit of everything (flag 7 on a 7-bit path)
     * @param declareEightBit send BODY=8BITMIME
     */
    private record Transfer(boolean downgrade, SevenToEightBit.Plan upgrade, boolean stripAll,
            boolean declareEightBit) {
    }

    private Transfer transfer(OutboundMessage message) {
        SessionOptions.EightBit eight = options.eightBit();
        boolean eightBitPath = supports("8BITMIME");
        boolean eightBit = message.body() == BodyType.EIGHT_BIT_MIME;
        // Flag 8: "acceptable to send eight bit data to this mailer": no downgrade, and no BODY= the
        // next hop did not offer.
        boolean downgrade = eightBit && !eightBitPath && !eight.sendEightBitAsIs();
        SevenToEightBit.Plan upgrade = null;
        if (eight.upgradeToEightBit() && eightBitPath) {
            try {
                upgrade = SevenToEightBit.check(message.content(), options.content().lineLimit());
            } catch (IOException e) {
                log.debug("{} 7->8 bit check skipped: {}", peer, e.toString()); // DATA will report a read failure
            }
        }
        boolean stripAll = eight.stripToSevenBit() && !eightBitPath; // sendmail: 8BITMIME offered clears MCIF_7BIT
        return new Transfer(downgrade, upgrade, stripAll, eightBitPath && (eightBit || upgrade != null));
    }

    private TransactionResult pipelined(OutboundMessage message, String mail, List<String> rcptCommands,
            List<Integer> toSend, SmtpReply[] rcpt, Transfer transfer, boolean dsn) throws SmtpClientException {
        boolean rset = needsRset;
        List<String> group = new ArrayList<>(rcptCommands.size() + 3);
        if (rset) {
            group.add("RSET");
        }
        group.add(mail);
        group.addAll(rcptCommands);
        group.add("DATA");
        write(Phase.MAIL, timeouts.mail(), group, null); // one write, one flush: the whole group
        if (rset) {
            checkRset(read(Phase.RSET, timeouts.rset()));
        }
        SmtpReply mailReply = read(Phase.MAIL, timeouts.mail());
        needsRset = mailReply.isPositive();
        boolean anyAccepted = false;
        for (int i : toSend) {
            rcpt[i] = read(Phase.RCPT, timeouts.rcpt());
            anyAccepted |= rcpt[i].isPositive();
        }
        SmtpReply dataReply = read(Phase.DATA, timeouts.dataInit());
        return afterData(message, mailReply, rcpt, mailReply.isPositive() && anyAccepted, dataReply, transfer, dsn);
    }

    private TransactionResult lockstep(OutboundMessage message, String mail, List<String> rcptCommands,
            List<Integer> toSend, SmtpReply[] rcpt, Transfer transfer, boolean dsn) throws SmtpClientException {
        if (needsRset) {
            checkRset(command(Phase.RSET, timeouts.rset(), "RSET"));
        }
        SmtpReply mailReply = command(Phase.MAIL, timeouts.mail(), mail);
        if (!mailReply.isPositive()) {
            for (int i : toSend) {
                rcpt[i] = mailReply; // not sent: the sender was refused
            }
            return result(mailReply, rcpt, null, dsn);
        }
        needsRset = true;
        boolean anyAccepted = false;
        for (int k = 0; k < toSend.size(); k++) {
            int i = toSend.get(k);
            rcpt[i] = command(Phase.RCPT, timeouts.rcpt(), rcptCommands.get(k));
            anyAccepted |= rcpt[i].isPositive();
        }
        if (!anyAccepted) {
            return result(mailReply, rcpt, null, dsn);
        }
        SmtpReply dataReply = command(Phase.DATA, timeouts.dataInit(), "DATA");
        return afterData(message, mailReply, rcpt, true, dataReply, transfer, dsn);
    }

    private TransactionResult afterData(OutboundMessage message, SmtpReply mailReply, SmtpReply[] rcpt,
            boolean accepted, SmtpReply dataReply, Transfer transfer, boolean dsn) throws SmtpClientException {
        if (dataReply.code() != 354) {
            return result(mailReply, rcpt, accepted ? dataReply : null, dsn);
        }
        if (!accepted) {
            // RFC 2920 §3.1: DATA was pipelined, no recipient was accepted, yet the server said 354.
            // End the empty message with a lone dot and ignore what the server says to it.
            write(Phase.DATA_END, timeouts.dataBlock(), List.of("."), null);
            SmtpReply ignored = read(Phase.DATA_END, timeouts.dataTermination());
            log.debug("{} lone dot after 354 without recipients answered {}", peer, ignored.code());
            needsRset = false;
            return result(mailReply, rcpt, null, dsn);
        }
        writer.timeout(timeouts.dataBlock());
        try (InputStream content = openContent(message.content(), transfer)) {
            if (stuffer == null || !stuffer.writesTo(writer)) {
                stuffer = new DotStuffer(writer);
            }
            long octets = stuffer.transfer(content);
            log.debug("{} >>> ({} octets of content{}) .", peer, octets, transfer.downgrade() ? ", 7-bit downgrade"
                    : transfer.upgrade() != null ? ", 7->8 bit" : "");
        } catch (ContentException e) {
            // The spool could not be read: end the session without the dot, so no partial message is taken
            throw fail(SmtpClientException.temporary(Phase.DATA, "cannot read message content: " + e.getMessage(),
                    null, e.getCause()));
        } catch (IOException e) {
            throw fail(ioFailure(Phase.DATA, e));
        }
        Duration dataFinal = options.dataFinal() != null ? options.dataFinal() : timeouts.dataTermination();
        if (options.lmtp()) {
            // RFC 2033 §4.2: one reply per recipient whose RCPT succeeded, in RCPT order
            List<SmtpReply> perRecipient = new ArrayList<>(java.util.Collections.nCopies(rcpt.length, null));
            SmtpReply last = null;
            for (int i = 0; i < rcpt.length; i++) {
                if (rcpt[i] != null && rcpt[i].isPositive()) {
                    last = read(Phase.DATA_END, dataFinal);
                    perRecipient.set(i, last);
                }
            }
            needsRset = false;
            return new TransactionResult(mailReply, Arrays.asList(rcpt), last, dsn, tlsActive(), perRecipient);
        }
        SmtpReply end = read(Phase.DATA_END, dataFinal);
        needsRset = false;
        return result(mailReply, rcpt, end, dsn);
    }

    private InputStream openContent(OutboundContent content, Transfer transfer) throws ContentException {
        try {
            InputStream view = transfer.downgrade() ? content.openSevenBit(options.eightBit().mime())
                    : transfer.upgrade() != null ? SevenToEightBit.open(content, transfer.upgrade())
                    : content.open();
            return options.content().apply(new ContentStream(view), transfer.stripAll());
        } catch (IOException e) {
            throw new ContentException(e);
        }
    }

    private void checkRset(SmtpReply reply) throws SmtpClientException {
        if (!reply.isPositive()) {
            throw fail(SmtpClientException.temporary(Phase.RSET, "RSET refused", reply, null));
        }
        needsRset = false;
    }

    private TransactionResult result(SmtpReply mailReply, SmtpReply[] rcpt, SmtpReply dataReply, boolean dsn) {
        return new TransactionResult(mailReply, Arrays.asList(rcpt), dataReply, dsn, tlsActive());
    }

    private static String mailCommand(OutboundMessage m, boolean size, boolean smtpUtf8, boolean bodyParam,
            boolean dsn, String via) {
        // Flag p: RFC 821's route-address reverse-path, <@us:sender>; the null path stays <>.
        String reversePath = via == null || m.sender().isNullSender() ? path(m.sender())
                : "<@" + via + ":" + m.sender() + ">";
        StringBuilder s = new StringBuilder("MAIL FROM:").append(reversePath);
        if (size && m.size() > 0) {
            s.append(" SIZE=").append(m.size());
        }
        if (bodyParam) {
            s.append(" BODY=").append(BodyType.EIGHT_BIT_MIME.keyword());
        }
        if (smtpUtf8) {
            s.append(" SMTPUTF8");
        }
        if (dsn) {
            if (m.ret() != null) {
                s.append(" RET=").append(m.ret().name());
            }
            if (m.envId() != null) {
                s.append(" ENVID=").append(m.envId());
            }
        }
        return s.toString();
    }

    private static String rcptCommand(OutboundRecipient r, boolean dsn) {
        StringBuilder s = new StringBuilder("RCPT TO:").append(path(r.address()));
        if (dsn) {
            if (!r.dsnNotify().isEmpty()) {
                s.append(" NOTIFY=").append(r.dsnNotify().contains(DsnNotify.NEVER) ? "NEVER"
                        : r.dsnNotify().stream().sorted().map(Enum::name).collect(Collectors.joining(",")));
            }
            if (r.orcpt() != null) {
                s.append(" ORCPT=").append(r.orcpt());
            }
        }
        return s.toString();
    }

    private static String path(MailAddress address) {
        return "<" + address + ">";
    }

    // ---- ending ----

    /** QUIT, waiting at most the QUIT timeout for the reply, then close. Never throws. */
    public void quit() {
        if (closed) {
            return;
        }
        if (!broken) {
            try {
                command(Phase.QUIT, timeouts.quit(), "QUIT");
            } catch (SmtpClientException e) {
                log.debug("{} QUIT: {}", peer, e.getMessage());
            }
        }
        close();
    }

    /** Closes the connection without QUIT. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (tlsSocket != null && !broken) {
                writer.guard(timeouts.quit(), () -> { // close_notify is a write: bound it like any other
                    tlsSocket.close();
                    return null;
                });
            }
        } catch (IOException ignored) {
            // the raw close below is what matters
        } finally {
            try {
                raw.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    // ---- wire ----

    /** Writes one command and reads its reply. */
    private SmtpReply command(Phase phase, Duration timeout, String line) throws SmtpClientException {
        write(phase, timeout, List.of(line), null);
        return read(phase, timeout);
    }

    /** As {@link #command} for an AUTH step, logging {@code shown} instead of the line. */
    private SmtpReply secret(Phase phase, String line, String shown) throws SmtpClientException {
        write(phase, timeouts.auth(), List.of(line), shown);
        return read(phase, timeouts.auth());
    }

    private void write(Phase phase, Duration timeout, List<String> lines, String shown) throws SmtpClientException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * lines.size());
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("line ending inside a command");
            }
            if (log.isDebugEnabled()) {
                log.debug("{} >>> {}", peer, shown != null ? shown : line);
            }
            bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            bytes.write('\r');
            bytes.write('\n');
        }
        try {
            writer.timeout(timeout);
            writer.write(bytes.toByteArray());
            writer.flush();
        } catch (IOException e) {
            throw fail(ioFailure(phase, e));
        }
    }

    /** Reads one reply; a 421 (service closing, RFC 5321 §3.8) ends the session whatever was asked. */
    private SmtpReply read(Phase phase, Duration timeout) throws SmtpClientException {
        SmtpReply reply;
        try {
            reply = reader.read(timeout, enhancedStatusCodes);
        } catch (IOException e) {
            throw fail(ioFailure(phase, e));
        }
        if (log.isDebugEnabled()) {
            // AUTH replies: codes only; a challenge is payload, and some servers echo what they were sent
            log.debug("{} <<< {}", peer, phase == Phase.AUTH
                    ? reply.code() + (reply.enhanced() == null ? "" : " " + reply.enhanced()) + " <redacted>" : reply);
        }
        if (reply.code() == 421 && phase != Phase.QUIT) {
            throw fail(SmtpClientException.temporary(phase, "next hop closing the session", reply, null));
        }
        return reply;
    }

    private SmtpClientException ioFailure(Phase phase, IOException e) {
        if (e instanceof SocketTimeoutException || writer.fired()) {
            return SmtpClientException.timedOut(phase, e);
        }
        if (e instanceof ReplyReader.ProtocolException) {
            return SmtpClientException.temporary(phase, "protocol error: " + e.getMessage(), null, e);
        }
        return SmtpClientException.temporary(phase, "I/O error: " + e.getMessage(), null, e);
    }

    /** Marks the session failed and closes it; returns the exception for the caller to throw. */
    private SmtpClientException fail(SmtpClientException e) {
        broken = true;
        log.debug("{} session failed: {}", peer, e.getMessage());
        close();
        return e;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A name usable for SNI: a DNS name, not an IP literal (RFC 6066 §3). */
    private static boolean isDnsName(String host) {
        if (host == null || host.isEmpty() || host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            return false;
        }
        try {
            new SNIHostName(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Marks read failures of the content itself, so they are not mistaken for network failures. */
    private static final class ContentException extends IOException {
        ContentException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final class ContentStream extends FilterInputStream {
        ContentStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new ContentException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new ContentException(e);
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } catch (IOException e) {
                log.debug("closing message content: {}", e.getMessage()); // everything was read
            }
        }
    }
}
