package org.postern.config;

import jakarta.validation.constraints.NotNull;
import org.postern.header.HeaderCheck;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One rule of a header check ruleset, {@code postern.header-checks.<Ruleset>[n]}: sendmail has no
 * rulesets in Postern, so a ruleset is an ordered list of these and the first that matches decides.
 *
 * @param regex  a Java regular expression searched for in the header value (anchor it with
 *               {@code ^…$} to match the whole value; {@code (?i)} for case-insensitive)
 * @param action {@code reject} ({@code 550 5.7.1 <text>} at DATA), {@code discard} (250, then
 *               dropped) or {@code ok} (the header passes; later rules are not tried)
 * @param text   the reply text for {@code reject}
 */
public record HeaderCheckProperties(
        @NotNull String regex,
        @DefaultValue("reject") HeaderCheck.Action action,
        String text) {
}
