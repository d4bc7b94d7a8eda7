package org.postern.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.smtp.client.ClientTestSupport.QUICK;
import static org.postern.smtp.client.ClientTestSupport.address;
import static org.postern.smtp.client.ClientTestSupport.generated;
import static org.postern.smtp.client.ClientTestSupport.message;
import static org.postern.smtp.client.ClientTestSupport.request;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postern.smtp.BodyType;
import org.postern.smtp.DsnNotify;
import org.postern.smtp.DsnReturn;
import org.postern.smtp.client.SmtpClientException.Phase;

/** The outbound session against a scripted peer on loopback: command flow, extensions, results, failures. */
class SmtpClientTest {

    private final SmtpClient client = new SmtpClient(QUICK, null);
    private ScriptedSmtpPeer peer;

    @AfterEach
    void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
            assertThat(peer.failures).isEmpty();
        }
    }

    private ScriptedSmtpPeer peer(String... capabilities) throws Exception {
        peer = new ScriptedSmtpPeer();
        peer.capabilities = new java.util.ArrayList<>(List.of(capabilities));
        return peer;
    }

    @Test
    void pipeliningSendsMailRcptsAndDataAsOneGroup() throws Exception {
        peer("PIPELINING", "ENHANCEDSTATUSCODES").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.supports("pipelining")).isTrue();
            assertThat(session.remoteGreetingName()).isEqualTo("peer.test");
            TransactionResult result = session.send(message("a@example.org", "Subject: x\r\n\r\nhi\r\n",
                    "b@example.net", "c@example.net"));
            assertThat(result.delivered(0)).isTrue();
            assertThat(result.delivered(1)).isTrue();
            assertThat(result.dataReply().enhanced()).isEqualTo("2.0.0");
            assertThat(result.dataReply().lines()).containsExactly("queued as 1");
            session.quit();
            assertThat(session.isReusable()).isFalse();
        }
        // The peer held its replies until DATA: a client waiting for each reply would have stalled.
        assertThat(peer.batches).contains(List.of("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>",
                "RCPT TO:<c@example.net>", "DATA"));
        assertThat(peer.message(0)).isEqualTo("Subject: x\r\n\r\nhi\r\n.\r\n");
    }

    @Test
    void aTransactionLeftOpenIsResetInsideTheNextGroup() throws Exception {
        peer("PIPELINING").start();
        peer.rcptReply = cmd -> cmd.contains("nobody") ? "550 5.1.1 no such user" : "250 ok";
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult refused = session.send(message("a@example.org", "one\r\n", "nobody@example.net"));
            assertThat(refused.dataReply()).isNull();
            assertThat(refused.recipientReply(0).code()).isEqualTo(550);
            assertThat(session.isReusable()).isTrue();

            TransactionResult second = session.send(message("a@example.org", "two\r\n", "b@example.net"));
            assertThat(second.delivered(0)).isTrue();
            TransactionResult third = session.send(message("a@example.org", "three\r\n", "b@example.net"));
            assertThat(third.delivered(0)).isTrue();
        }
        assertThat(peer.batches).contains(List.of("RSET", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>", "DATA"));
        // after a completed transaction no RSET is needed
        assertThat(peer.commands.stream().filter(c -> c.equals("RSET"))).hasSize(1);
        assertThat(peer.messages).hasSize(2);
    }

    @Test
    void dataAcceptedWithoutRecipientsGetsALoneDot() throws Exception {
        peer("PIPELINING").start();
        peer.rcptReply = cmd -> "550 5.1.1 no such user";
        peer.acceptDataWithoutRecipients = true;
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "secret body\r\n", "x@example.net"));
            assertThat(result.dataReply()).isNull();
            assertThat(result.recipientReply(0).code()).isEqualTo(550);
            assertThat(result.delivered(0)).isFalse();
            assertThat(session.isReusable()).isTrue();
        }
        assertThat(peer.messages).hasSize(1);
        assertThat(peer.message(0)).isEqualTo(".\r\n"); // RFC 2920 §3.1: the content is not sent
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
        peer("8BITMIME").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "b@example.net", "c@example.net"));
            assertThat(result.delivered(0)).isTrue();
            assertThat(result.delivered(1)).isTrue();
            session.quit();
        }
        assertThat(peer.transactionCommands()).containsExactly("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>",
                "RCPT TO:<c@example.net>", "DATA");
        assertThat(peer.sentAhead).isEmpty();
        assertThat(peer.batches).allSatisfy(batch -> assertThat(batch).hasSize(1));
    }

    @Test
    void lockstepStopsAfterARefusedSender() throws Exception {
        peer().start();
        peer.mailReply = cmd -> "553 5.7.1 sender refused";
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "b@example.net", "c@example.net"));
            assertThat(result.mailReply().code()).isEqualTo(553);
            assertThat(result.recipientReply(0)).isEqualTo(result.mailReply());
            assertThat(result.recipientReply(1)).isEqualTo(result.mailReply());
            assertThat(result.dataReply()).isNull();
        }
        assertThat(peer.transactionCommands()).containsExactly("MAIL FROM:<a@example.org>");
    }

    @Test
    void ehloRefusedFallsBackToHelo() throws Exception {
        peer("PIPELINING").start();
        peer.ehloReply = "502 5.5.1 EHLO not implemented";
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.supports("PIPELINING")).isFalse();
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "b@example.net"));
            assertThat(result.delivered(0)).isTrue();
        }
        assertThat(peer.commands).startsWith("EHLO client.test", "HELO client.test");
    }

    @Test
    void greetingRefusedIsPermanent() throws Exception {
        peer().start();
        peer.greeting = "554 5.7.1 no service for you";
        assertThatThrownBy(() -> client.connect(request(peer))).isInstanceOfSatisfying(SmtpClientException.class, e -> {
            assertThat(e.phase()).isEqualTo(Phase.GREETING);
            assertThat(e.reply().code()).isEqualTo(554);
            assertThat(e.permanent()).isTrue();
            assertThat(e.timeout()).isFalse();
        });
    }

    @Test
    void messageLargerThanTheAnnouncedSizeIsRefusedWithoutSendingAnything() throws Exception {
        peer("PIPELINING", "SIZE 100").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.maxSize()).isEqualTo(100);
            TransactionResult big = session.send(message("a@example.org", "x".repeat(200), "b@example.net", "c@example.net"));
            for (int i = 0; i < 2; i++) {
                assertThat(big.recipientReply(i).code()).isEqualTo(552);
                assertThat(big.recipientReply(i).enhanced()).isEqualTo("5.3.4");
                assertThat(big.recipientReply(i).isPermanent()).isTrue();
            }
            assertThat(peer.transactionCommands()).isEmpty();

            TransactionResult small = session.send(message("a@example.org", "x".repeat(50), "b@example.net"));
            assertThat(small.delivered(0)).isTrue();
        }
        assertThat(peer.transactionCommands()).first().isEqualTo("MAIL FROM:<a@example.org> SIZE=50");
    }

    @Test
    void noSizeParameterWhenSizeIsNotOffered() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            session.send(message("a@example.org", "x".repeat(50), "b@example.net"));
        }
        assertThat(peer.transactionCommands()).first().isEqualTo("MAIL FROM:<a@example.org>");
    }

    @Test
    void eightBitMessageToAPeerWithout8BitMimeIsDowngradedAndSentWithoutBody() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", BodyType.EIGHT_BIT_MIME, false,
                    "caf\u00e9\r\n", "b@example.net"));
            assertThat(result.delivered(0)).isTrue();
        }
        assertThat(peer.transactionCommands()).first().isEqualTo("MAIL FROM:<a@example.org>");
        assertThat(peer.message(0)).isEqualTo("7bit:caf\u00e9\r\n.\r\n"); // what openSevenBit() gave
    }

    @Test
    void eightBitMessageToAnEightBitPeerCarriesBody() throws Exception {
        peer("PIPELINING", "8BITMIME").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            session.send(message("a@example.org", BodyType.EIGHT_BIT_MIME, false, "caf\u00e9\r\n", "b@example.net"));
        }
        assertThat(peer.transactionCommands()).first().isEqualTo("MAIL FROM:<a@example.org> BODY=8BITMIME");
        assertThat(peer.message(0)).isEqualTo("caf\u00e9\r\n.\r\n");
    }

    @Test
    void internationalizedRecipientWithoutSmtpUtf8IsRefusedAndTheRestGoWithoutTheParameter() throws Exception {
        peer("PIPELINING", "8BITMIME").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "j\u00f6rg@example.de", "b@example.net"));
            assertThat(result.recipientReply(0).code()).isEqualTo(553);
            assertThat(result.recipientReply(0).enhanced()).isEqualTo("5.6.7");
            assertThat(result.delivered(1)).isTrue();
        }
        assertThat(peer.transactionCommands()).containsExactly("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>", "DATA");
    }

    @Test
    void internationalizedSenderWithoutSmtpUtf8RefusesEveryRecipient() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("j\u00f6rg@example.de", "hi\r\n", "a@example.org", "b@example.net"));
            for (int i = 0; i < 2; i++) {
                assertThat(result.recipientReply(i).code()).isEqualTo(553);
                assertThat(result.recipientReply(i).enhanced()).isEqualTo("5.6.7");
            }
            assertThat(session.isReusable()).isTrue();
        }
        assertThat(peer.transactionCommands()).isEmpty();
    }

    @Test
    void smtpUtf8IsDeclaredWhenOfferedAndNeeded() throws Exception {
        peer("PIPELINING", "8BITMIME", "SMTPUTF8").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "j\u00f6rg@example.de"));
            assertThat(result.delivered(0)).isTrue();
            session.send(message("a@example.org", "hi\r\n", "b@example.net")); // ASCII only: no parameter
        }
        assertThat(peer.commands).contains("MAIL FROM:<a@example.org> SMTPUTF8", "RCPT TO:<j\u00f6rg@example.de>",
                "MAIL FROM:<a@example.org>");
    }

    private static OutboundMessage dsnMessage() {
        return new OutboundMessage(address("a@example.org"),
                List.of(new OutboundRecipient(address("b@example.net"), EnumSet.of(DsnNotify.FAILURE, DsnNotify.DELAY),
                        "rfc822;b@example.net"), new OutboundRecipient(address("c@example.net"), Set.of(DsnNotify.NEVER), null)),
                BodyType.SEVEN_BIT, false, DsnReturn.HDRS, "QQ+2B1", 4, new ClientTestSupport.TextContent("hi\r\n", ""));
    }

    @Test
    void dsnParametersOnlyWhenOffered() throws Exception {
        peer("PIPELINING", "DSN").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.send(dsnMessage()).dsnOffered()).isTrue();
        }
        assertThat(peer.transactionCommands()).containsExactly("MAIL FROM:<a@example.org> RET=HDRS ENVID=QQ+2B1",
                "RCPT TO:<b@example.net> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@example.net",
                "RCPT TO:<c@example.net> NOTIFY=NEVER", "DATA");
    }

    @Test
    void noDsnParametersWhenNotOffered() throws Exception {
        peer("PIPELINING").start();
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.send(dsnMessage()).dsnOffered()).isFalse();
        }
        assertThat(peer.transactionCommands()).containsExactly("MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>",
                "RCPT TO:<c@example.net>", "DATA");
    }

    @Test
    void contentIsDotStuffedAndBareLineEndsBecomeCrlfOnTheWire() throws Exception {
        peer("PIPELINING").start();
        String content = ".first\r\nsmuggle\n.\nMAIL FROM:<evil@example.com>\r\nbare\rcr\r\n..two\r\nno final newline";
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThat(session.send(message("a@example.org", content, "b@example.net")).delivered(0)).isTrue();
        }
        assertThat(peer.messages).hasSize(1);
        assertThat(peer.message(0)).isEqualTo("..first\r\nsmuggle\r\n..\r\nMAIL FROM:<evil@example.com>\r\nbare\r\ncr\r\n"
                + "...two\r\nno final newline\r\n.\r\n");
        assertThat(peer.commands).noneMatch(c -> c.contains("evil"));
    }

    @Test
    void recipientsGetTheirOwnOutcome() throws Exception {
        peer("PIPELINING", "ENHANCEDSTATUSCODES").start();
        peer.rcptReply = cmd -> cmd.contains("gone") ? "550 5.1.1 mailbox unavailable" : "250 2.1.5 ok";
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "gone@example.net", "here@example.net"));
            assertThat(result.recipientReply(0).code()).isEqualTo(550);
            assertThat(result.recipientReply(0).enhanced()).isEqualTo("5.1.1");
            assertThat(result.recipientReply(0).lines()).containsExactly("mailbox unavailable");
            assertThat(result.delivered(0)).isFalse();
            assertThat(result.recipientReply(1).code()).isEqualTo(250);
            assertThat(result.recipientReply(1)).isEqualTo(result.dataReply());
            assertThat(result.delivered(1)).isTrue();
        }
    }

    @Test
    void dataRefusedAppliesToTheAcceptedRecipients() throws Exception {
        peer("PIPELINING", "ENHANCEDSTATUSCODES").start();
        peer.endOfDataReply = "451 4.3.0 try later";
        try (SmtpClientSession session = client.connect(request(peer))) {
            TransactionResult result = session.send(message("a@example.org", "hi\r\n", "b@example.net"));
            assertThat(result.recipientReply(0).code()).isEqualTo(451);
            assertThat(result.recipientReply(0).isTransient()).isTrue();
            assertThat(session.isReusable()).isTrue();
        }
    }

    @Test
    void reply421EndsTheSession() throws Exception {
        peer().start();
        peer.mailReply = cmd -> "421 4.3.2 shutting down";
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThatThrownBy(() -> session.send(message("a@example.org", "hi\r\n", "b@example.net")))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.phase()).isEqualTo(Phase.MAIL);
                        assertThat(e.reply().code()).isEqualTo(421);
                        assertThat(e.permanent()).isFalse();
                    });
            assertThat(session.isReusable()).isFalse();
            assertThatThrownBy(() -> session.send(message("a@example.org", "hi\r\n", "b@example.net")))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void reply421ToAPipelinedRcptEndsTheSession() throws Exception {
        peer("PIPELINING").start();
        peer.rcptReply = cmd -> "421 4.7.0 too busy";
        try (SmtpClientSession session = client.connect(request(peer))) {
            assertThatThrownBy(() -> session.send(message("a@example.org", "hi\r\n", "b@example.net")))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> assertThat(e.phase()).isEqualTo(Phase.RCPT));
            assertThat(session.isReusable()).isFalse();
        }
    }

    @Test
    void aPeerThatHangsAfterTheGreetingTimesOut() throws Exception {
        peer().start();
        peer.behaviour = ScriptedSmtpPeer.Behaviour.HANG_AFTER_GREETING;
        SmtpClient impatient = new SmtpClient(SmtpTimeouts.uniform(Duration.ofMillis(300)), null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.connect(request(peer))).isInstanceOfSatisfying(SmtpClientException.class, e -> {
            assertThat(e.phase()).isEqualTo(Phase.EHLO);
            assertThat(e.timeout()).isTrue();
            assertThat(e.permanent()).isFalse();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aPeerThatNeverGreetsTimesOut() throws Exception {
        peer().start();
        peer.behaviour = ScriptedSmtpPeer.Behaviour.NO_GREETING;
        SmtpClient impatient = new SmtpClient(SmtpTimeouts.uniform(Duration.ofMillis(300)), null);
        assertThatThrownBy(() -> impatient.connect(request(peer))).isInstanceOfSatisfying(SmtpClientException.class, e -> {
            assertThat(e.phase()).isEqualTo(Phase.GREETING);
            assertThat(e.timeout()).isTrue();
        });
    }

    @Test
    void aPeerThatStopsReadingMidDataHitsTheDataBlockTimeout() throws Exception {
        peer("PIPELINING");
        peer.receiveBufferSize = 4096;
        peer.behaviour = ScriptedSmtpPeer.Behaviour.STOP_READING_IN_DATA;
        peer.start();
        Duration five = Duration.ofSeconds(5);
        SmtpTimeouts timeouts = new SmtpTimeouts(five, five, five, five, five, five, five, five, Duration.ofMillis(500),
                five, five, five);
        SmtpClient watched = new SmtpClient(timeouts, null);
        OutboundMessage huge = new OutboundMessage(address("a@example.org"), List.of(OutboundRecipient.of(address("b@example.net"))),
                BodyType.SEVEN_BIT, false, null, null, 256L << 20, generated(256L << 20));
        try (SmtpClientSession session = watched.connect(request(peer).withSource(null, 4096, 0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.send(huge)).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                assertThat(e.phase()).isEqualTo(Phase.DATA);
                assertThat(e.timeout()).isTrue();
                assertThat(e.permanent()).isFalse();
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(session.isReusable()).isFalse();
        }
    }

    @Test
    void sourceAddressAndPortAreBound() throws Exception {
        peer().start();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort(); // a port that was free a moment ago
        }
        java.net.InetSocketAddress source = new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), port);
        try (SmtpClientSession session = client.connect(request(peer).withSource(source, 8192, 8192))) {
            session.quit();
        }
        assertThat(peer.clients).containsExactly(source);
    }
}
