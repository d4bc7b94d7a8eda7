package org.postern.sendmailcf;

import java.time.Duration;
import org.postern.config.MailerLineParser;

/**
 * sendmail's time values ({@code convtime}): digits with units {@code s m h d w}, several in a row
 * ({@code 1h30m}); a number without a unit takes the option's default unit. Written back in the
 * largest unit that divides it, as Spring Boot reads durations ({@code 5d}, {@code 90m}).
 */
public final class SendmailTime {

    private SendmailTime() {
    }

    /**
     * @param defaultUnit the unit of a bare number: {@code 'm'} for most Timeout options,
     *                    {@code 'd'} for Timeout.queuereturn, {@code 'h'} for Timeout.queuewarn
     * @throws IllegalArgumentException when the text is not a time
     */
    public static Duration parse(String text, char defaultUnit) {
        return MailerLineParser.duration(text, defaultUnit);
    }

    /** The duration as Spring Boot reads it: {@code 5d}, {@code 4h}, {@code 90m}, {@code 45s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
