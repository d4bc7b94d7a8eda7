package org.postern.header;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header checks of sendmail's secondary H syntax ({@code HName: $>Ruleset}), run on the header
 * block of each message after its content is read and before it is committed. Each header goes to
 * the ruleset bound to its name, or to the default ({@code H*: $>Ruleset}) when it has none; its
 * value is checked with RFC 5322 comments removed unless the line used {@code $>+}. The first
 * {@code reject} found refuses the message; otherwise a {@code discard} drops it.
 */
public final class HeaderChecks {

    /** No checks: the header block need not be captured. */
    public static final HeaderChecks NONE = new HeaderChecks(Map.of(), null);

    /**
     * The most header octets kept for checking, as sendmail's MaxHeadersLength (default 32K, here
     * larger for today's DKIM and ARC fields). A message with more is refused when checks are
     * configured, so no header escapes them.
     */
    public static final int MAX_HEADER_BLOCK = 256 * 1024;

    /** A header bound to a ruleset. */
    private record Binding(String ruleset, boolean keepComments, List<HeaderCheck> checks) {
    }

    private final Map<String, Binding> byHeader;
    private final Binding fallback;

    private HeaderChecks(Map<String, Binding> byHeader, Binding fallback) {
        this.byHeader = Map.copyOf(byHeader);
        this.fallback = fallback;
    }

    /**
     * Binds the validation lines to their rulesets.
     *
     * @param validations the {@code $>} lines, in order
     * @param rulesets    ruleset name → its checks; names are matched without regard to case
     * @throws IllegalArgumentException for a ruleset that is not defined, or a second line for one
     *                                  header (sendmail silently keeps one; Postern refuses to guess)
     */
    public static HeaderChecks of(List<HeaderValidation> validations, Map<String, List<HeaderCheck>> rulesets) {
        if (validations.isEmpty()) {
            return NONE;
        }
        Map<String, List<HeaderCheck>> byLowerName = new HashMap<>();
        rulesets.forEach((name, checks) -> byLowerName.put(name.toLowerCase(Locale.ROOT), List.copyOf(checks)));
        Map<String, Binding> byHeader = new HashMap<>();
        Binding fallback = null;
        for (HeaderValidation v : validations) {
            List<HeaderCheck> checks = byLowerName.get(v.ruleset().toLowerCase(Locale.ROOT));
            if (checks == null) {
                throw new IllegalArgumentException("ruleset " + v.ruleset() + " (in \"" + v.line()
                        + "\") is not defined in postern.header-checks");
            }
            Binding b = new Binding(v.ruleset(), v.keepComments(), checks);
            String key = v.name().toLowerCase(Locale.ROOT);
            Binding earlier = v.isDefault() ? fallback : byHeader.get(key);
            if (earlier != null) {
                throw new IllegalArgumentException("header " + v.name() + " is already checked by ruleset "
                        + earlier.ruleset() + "; only one ruleset can be bound to a header");
            }
            if (v.isDefault()) {
                fallback = b;
            } else {
                byHeader.put(key, b);
            }
        }
        return new HeaderChecks(byHeader, fallback);
    }

    public boolean isEmpty() {
        return byHeader.isEmpty() && fallback == null;
    }

    /** Runs the checks over a header block; an incomplete block is {@link HeaderVerdict.TooLarge}. */
    public HeaderVerdict check(HeaderBlock block) {
        if (isEmpty()) {
            return HeaderVerdict.ACCEPT;
        }
        if (!block.complete()) {
            return new HeaderVerdict.TooLarge(MAX_HEADER_BLOCK);
        }
        HeaderVerdict.Discard discard = null;
        for (HeaderField field : block.fields()) {
            Binding b = byHeader.getOrDefault(field.key(), fallback);
            if (b == null) {
                continue;
            }
            String value = b.keepComments() ? field.value() : Comments.strip(field.value());
            for (HeaderCheck check : b.checks()) {
                if (!check.regex().matcher(value).find()) {
                    continue;
                }
                switch (check.action()) {
                    case REJECT -> {
                        return new HeaderVerdict.Reject(b.ruleset(), field.name(), check.text());
                    }
                    case DISCARD -> {
                        if (discard == null) {
                            discard = new HeaderVerdict.Discard(b.ruleset(), field.name());
                        }
                    }
                    case OK -> { }
                }
                break;
            }
        }
        return discard != null ? discard : HeaderVerdict.ACCEPT;
    }
}
