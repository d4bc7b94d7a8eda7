package org.postern.maillog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The mail log: one INFO line per message event on the logger {@value #LOGGER}, in Postfix's
 * format, so that an operator (and tools written for Postfix logs) can follow a message by its
 * queue id from "queued" to "removed":
 * <pre>
 * 1K0R…: from=&lt;app@example.org&gt;, size=1204, nrcpt=2, client=[127.0.0.1], helo=&lt;app.test&gt;, proto=ESMTP, status=queued
 * 1K0R…: to=&lt;a@example.net&gt;, relay=mx.example.net[192.0.2.7]:25, delay=0.41, dsn=2.0.0, status=sent (250 2.0.0 Ok)
 * 1K0R…: removed
 * </pre>
 * Each line also carries its fields as SLF4J key-value pairs ({@code queue_id}, {@code recipient},
 * {@code relay}, {@code delay}, {@code dsn}, {@code status}, {@code reply}, …), which Spring Boot's
 * structured logging ({@code logging.structured.format.console=ecs}) writes as JSON members. Field
 * names avoid dots and ECS's reserved objects ({@code event}, {@code log}), so they stay top-level.
 * Documented in {@code docs/operations-logging.md}.
 */
public final class MailLog {

    /** The logger name, for routing the mail log (e.g. {@code logging.level.postern.maillog}). */
    public static final String LOGGER = "postern.maillog";
    /** The relay written when no next hop was reached (error routes, connection failures), as Postfix does. */
    public static final String NO_RELAY = "none";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

    private MailLog() {
    }

    /** A message was committed to the spool and acknowledged: {@code status=queued}. */
    public static void received(String queueId, String sender, long size, int recipients, String clientName,
            String clientAddress, String helo, String protocol, String authenticatedAs) {
        String client = (clientName == null ? "" : clientName) + "[" + clientAddress + "]";
        LoggingEventBuilder e = LOG.atInfo()
                .addKeyValue("queue_id", queueId)
                .addKeyValue("status", "queued")
                .addKeyValue("sender", sender)
                .addKeyValue("size", size)
                .addKeyValue("nrcpt", recipients)
                .addKeyValue("client", client)
                .addKeyValue("helo", helo)
                .addKeyValue("proto", protocol);
        if (authenticatedAs != null) {
            e = e.addKeyValue("sasl_username", authenticatedAs);
        }
        e.log("{}: from=<{}>, size={}, nrcpt={}, client={}, helo=<{}>, proto={}{}, status=queued", queueId, sender,
                size, recipients, client, helo, protocol,
                authenticatedAs == null ? "" : ", sasl_username=" + authenticatedAs);
    }

    /**
     * One recipient's outcome: {@code status} is {@code sent}, {@code deferred}, {@code bounced},
     * {@code expired} or {@code discarded}.
     *
     * @param relay  the next hop as {@code host[address]:port}, or {@link #NO_RELAY}
     * @param delay  from arrival to this event
     * @param dsn    the RFC 3463 status
     * @param reply  the next hop's reply or our own reason; line ends are flattened
     */
    public static void recipient(String queueId, String recipient, String relay, Duration delay, String dsn,
            String status, String reply) {
        String text = flatten(reply);
        double seconds = delay.toMillis() / 1000.0;
        LOG.atInfo()
                .addKeyValue("queue_id", queueId)
                .addKeyValue("recipient", recipient)
                .addKeyValue("relay", relay)
                .addKeyValue("delay", seconds)
                .addKeyValue("dsn", dsn)
                .addKeyValue("status", status)
                .addKeyValue("reply", text)
                .log("{}: to=<{}>, relay={}, delay={}, dsn={}, status={} ({})", queueId, recipient, relay,
                        formatDelay(seconds), dsn, status, text);
    }

    /**
     * An event of the whole message: {@code held}, {@code released} or {@code deleted} (by the
     * postmaster), with a reason in parentheses as Postfix writes it.
     */
    public static void message(String queueId, String sender, String status, String reason) {
        String text = flatten(reason);
        LOG.atInfo()
                .addKeyValue("queue_id", queueId)
                .addKeyValue("sender", sender)
                .addKeyValue("status", status)
                .addKeyValue("reply", text)
                .log("{}: from=<{}>, status={} ({})", queueId, sender, status, text);
    }

    /**
     * A delivery status notification about {@code queueId} was queued as {@code notificationId}:
     * {@code kind} is {@code failure}, {@code delay} or {@code success}. The text is Postfix's
     * ("sender non-delivery notification").
     */
    public static void notification(String queueId, String kind, String notificationId) {
        String what = switch (kind) {
            case "failure" -> "sender non-delivery notification";
            case "delay" -> "sender delay notification";
            default -> "sender delivery status notification";
        };
        LOG.atInfo()
                .addKeyValue("queue_id", queueId)
                .addKeyValue("status", "notified")
                .addKeyValue("notification", kind)
                .addKeyValue("notification_id", notificationId)
                .log("{}: {}: {}", queueId, what, notificationId);
    }

    /** Every recipient is final and the message left the spool: Postfix's {@code removed}. */
    public static void removed(String queueId) {
        LOG.atInfo()
                .addKeyValue("queue_id", queueId)
                .addKeyValue("status", "removed")
                .log("{}: removed", queueId);
    }

    /** {@code host[address]:port}, Postfix's relay notation. */
    public static String relay(String host, String address, int port) {
        return (host == null ? "" : host) + "[" + address + "]:" + port;
    }

    /** Postfix's delay precision: two decimals under a second, one under ten, whole seconds above. */
    static String formatDelay(double seconds) {
        // As String.format's %.Nf rounds (half up, from the shortest decimal form), without its cost per line.
        int scale = seconds < 1 ? 2 : seconds < 10 ? 1 : 0;
        return BigDecimal.valueOf(seconds).setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    private static String flatten(String text) {
        if (text == null) {
            return "";
        }
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : LINE_BREAKS.matcher(text).replaceAll(" ");
    }
}
