package org.postern.e2e;

import static org.postern.e2e.SmugglingPayloads.LEGIT_SENDER;
import static org.postern.testing.SmtpAssertions.assertReply;

import org.junit.jupiter.api.Test;
import org.postern.testing.PosternTest;
import org.postern.testing.SmtpTestClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code postern.smtp.bare-line-endings=normalize} in command lines: a bare LF ends a command. (Every
 * smuggling payload in this mode, which ends up as content of the one legitimate message and never
 * as a second message, is {@code org.postern.security.SmugglingVariantsTest}.)
 */
@TestPropertySource(properties = "postern.smtp.bare-line-endings=normalize")
class SmugglingNormalizeScenarioTest extends PosternTest {

    @Test
    void bareLineFeedEndsACommandLine() throws Exception {
        try (SmtpTestClient client = connectEhlo()) {
            client.send("NOOP\nMAIL FROM:<" + LEGIT_SENDER + ">\n");
            assertReply(client.read(), 250, "2.0.0");
            assertReply(client.read(), 250, "2.1.0");
        }
    }
}
