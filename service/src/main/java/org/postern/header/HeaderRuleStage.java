package org.postern.header;

import java.util.List;

/**
 * The delivery-time part of sendmail's H lines: each rule adds its header when the message does
 * not have it, the mailer has one of the rule's flags (or it has none), its macro is set (or it has
 * none), and — for a {@code Resent-} header — the message has been resent. Headers the message
 * brought are kept as they are, whatever the rules say (operations guide §5.5).
 */
public final class HeaderRuleStage implements HeaderEditor.Stage {
    private final List<HeaderRule> rules;

    public HeaderRuleStage(List<HeaderRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<HeaderRule> rules() {
        return rules;
    }

    @Override
    public boolean mayEdit(HeaderEditor.Context context) {
        for (HeaderRule rule : rules) {
            if (rule.mailerConditionHolds(context.mailer()) && (rule.macroCondition() == null
                    || HeaderMacros.NAMES.contains(rule.macroCondition()) || rule.macroConditionHolds(context.macros()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void edit(MessageHeader header, HeaderEditor.Context context) {
        HeaderBlock original = header.original();
        boolean resent = original.hasResent();
        for (HeaderRule rule : rules) {
            if (rule.resent() && !resent || original.has(rule.name())
                    || !rule.mailerConditionHolds(context.mailer()) || !rule.macroConditionHolds(context.macros())) {
                continue;
            }
            HeaderField field = rule.render(context.macros());
            if (field == null) {
                continue;
            }
            if (field.is("Return-Path")) {
                header.prepend(field);
            } else {
                header.addAfterTrace(field);
            }
        }
    }
}
