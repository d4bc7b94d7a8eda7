package org.postern.header;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real H lines of {@code src/test/resources/sendmail-cf/*.H} (see the README there): each
 * line starting with H, with the continuation lines that follow it.
 */
final class SendmailCfLines {

    private SendmailCfLines() {
    }

    static List<String> of(String file) {
        String text;
        try (InputStream in = SendmailCfLines.class.getResourceAsStream("/sendmail-cf/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource sendmail-cf/" + file);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("H")) {
                lines.add(line);
            } else if (!lines.isEmpty() && (line.startsWith("\t") || line.startsWith(" "))) {
                lines.set(lines.size() - 1, lines.getLast() + "\n" + line);
            }
        }
        return lines;
    }
}
