package org.postern.config;

/**
 * The flags of a ClientPortOptions entry ({@code Modifiers}, {@code M=}), as sendmail defines them.
 *
 * @param interfaceHelo {@code h}: say EHLO with the name of the outgoing interface, when it has a
 *                      qualified one (contains a dot, does not start with {@code [})
 * @param noAuth        {@code A}: never use AUTH on this family's connections
 * @param noStartTls    {@code S}: never use STARTTLS on this family's connections
 * @param flags         the flags as written, for {@code ${client_flags}}
 */
public record ClientModifiers(boolean interfaceHelo, boolean noAuth, boolean noStartTls, String flags) {

    public static final ClientModifiers NONE = new ClientModifiers(false, false, false, "");

    /** @throws IllegalArgumentException naming {@code property} and the unknown flag */
    public static ClientModifiers parse(String flags, String property) {
        String text = flags == null ? "" : flags.strip();
        boolean h = false;
        boolean a = false;
        boolean s = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case 'h' -> h = true;
                case 'A' -> a = true;
                case 'S' -> s = true;
                case ' ', ',' -> { }
                default -> throw new IllegalArgumentException(property + ": unknown ClientPortOptions modifier '" + c
                        + "' (known: h = EHLO with the interface name, A = no AUTH, S = no STARTTLS)");
            }
        }
        return new ClientModifiers(h, a, s, text.replaceAll("[ ,]", ""));
    }
}
