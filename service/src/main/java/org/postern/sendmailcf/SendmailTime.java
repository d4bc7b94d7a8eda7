package org.postern.sendmailcf;

import java.time.Duration;

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
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty time");
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < t.length()) {
            int start = i;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 9) {
                throw new IllegalArgumentException("'" + text + "' is not a time (digits with units s m h d w)");
            }
            long n = Long.parseLong(t.substring(start, i));
            char unit = i < t.length() ? t.charAt(i++) : defaultUnit;
            total = total.plus(switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                case 'w' -> Duration.ofDays(7 * n);
                default -> throw new IllegalArgumentException("'" + text + "': unknown time unit '" + unit + "'");
            });
        }
        return total;
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
