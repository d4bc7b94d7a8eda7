package org.postern.header;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule of a header check ruleset: a regular expression searched for in the header value
 * ({@link java.util.regex.Matcher#find()}: anchor with {@code ^…$} to match the whole value) and
 * what to do when it is found. The first matching rule of a ruleset decides, as the first
 * matching {@code R} line of a sendmail ruleset does.
 *
 * @param regex  what to look for
 * @param action reject, discard, or ok (accept the header: later rules are not tried)
 * @param text   the text of the {@code 550 5.7.1} reply for {@code reject}
 */
public record HeaderCheck(Pattern regex, Action action, String text) {

    /** The sendmail ruleset results Postern has: {@code $#error}, {@code $#discard}, and {@code $@ OK}. */
    public enum Action {
        /** {@code $#error}: refuse the message at DATA with {@code 550 5.7.1 <text>}; nothing is stored. */
        REJECT,
        /** {@code $#discard}: answer 250 and drop the message; nothing is delivered. */
        DISCARD,
        /** {@code $@ OK}: the header passes; the ruleset's later rules are not tried. */
        OK
    }

    /** The reply text when none is configured. */
    public static final String DEFAULT_TEXT = "Header check failed";
    /** Room for the text in a reply line (RFC 5321 §4.5.3.1.5: 512 octets with code and CRLF). */
    public static final int MAX_TEXT = 400;

    public HeaderCheck {
        Objects.requireNonNull(regex, "regex");
        Objects.requireNonNull(action, "action");
        text = text == null || text.isBlank() ? DEFAULT_TEXT : text.strip();
        if (text.length() > MAX_TEXT || !text.chars().allMatch(c -> c >= 32 && c < 127)) {
            throw new IllegalArgumentException("the reply text must be printable ASCII on one line, at most "
                    + MAX_TEXT + " characters");
        }
    }
}
