package org.postern.sendmailcf;

/**
 * One logical line of a {@code sendmail.cf}: a line with its continuation lines (those starting
 * with a space or tab), joined with their line breaks kept, as sendmail's {@code fgetfolded} reads
 * them. The number is that of the first physical line, so the report can point at it.
 *
 * @param number the 1-based line number of the first physical line
 * @param text   the line, continuation lines included, without the final line break
 */
public record CfLine(int number, String text) {

    /** The line on one line, continuation breaks as single spaces, for messages and comments. */
    public String oneLine() {
        return text.replaceAll("\\s*\\n\\s*", " ").strip();
    }

    /** The command letter ({@code O}, {@code M}, {@code H}, ...). */
    public char command() {
        return text.charAt(0);
    }
}
