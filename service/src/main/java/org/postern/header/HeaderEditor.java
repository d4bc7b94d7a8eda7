package org.postern.header;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.postern.macro.MacroValues;
import org.postern.mailer.MailerDefinition;

/**
 * Edits a message's header block at delivery, for one mailer and one transaction, through a list
 * of stages: the header rules ({@link HeaderRuleStage}) and, later, address rewriting. The
 * editor reads the header block from the spooled content (bounded), lets each stage change it,
 * and returns the new block; the body is never touched, and a message no stage wants to change
 * is not read at all.
 */
public final class HeaderEditor {

    /** Edits nothing. */
    public static final HeaderEditor NONE = new HeaderEditor(List.of());

    /** The most header octets read at delivery; a larger block is passed on unedited. */
    public static final int MAX_HEADER_BLOCK = 1024 * 1024;

    /** One step of header editing. Stages run in order, each seeing the changes of the ones before. */
    public interface Stage {

        /**
         * Whether this stage may change anything for this transaction, judged without the header
         * (conservatively): when no stage may, the content is sent as spooled, unread.
         */
        default boolean mayEdit(Context context) {
            return true;
        }

        void edit(MessageHeader header, Context context);
    }

    /**
     * What a stage knows about the transaction.
     *
     * @param mailer the recipient's mailer (its flags decide {@code ?mflags?} conditions)
     * @param macros the macros of this delivery; in {@link Stage#edit} also those taken from the
     *               header ({@link HeaderMacros})
     */
    public record Context(MailerDefinition mailer, MacroValues macros) {
        public Context {
            Objects.requireNonNull(mailer, "mailer");
            Objects.requireNonNull(macros, "macros");
        }
    }

    /** Where the content comes from; opened once to read the header block. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * The result of editing: {@code header} replaces the first {@code replaces} octets of the content.
     */
    public record Edit(byte[] header, int replaces) {
    }

    private final List<Stage> stages;

    public HeaderEditor(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** This editor with {@code stage} added after its stages. */
    public HeaderEditor with(Stage stage) {
        List<Stage> all = new ArrayList<>(stages);
        all.add(stage);
        return new HeaderEditor(all);
    }

    /**
     * Applies the stages to the content's header block.
     *
     * @return the edit, or null when the header stays as it is (nothing to do, nothing changed,
     *         or a header block larger than {@link #MAX_HEADER_BLOCK})
     */
    public Edit edit(Content content, Context context) throws IOException {
        if (stages.stream().noneMatch(s -> s.mayEdit(context))) {
            return null;
        }
        HeaderBlock block;
        try (InputStream in = content.open()) {
            block = HeaderBlock.read(in, MAX_HEADER_BLOCK);
        }
        if (!block.complete()) {
            return null;
        }
        Context full = new Context(context.mailer(), HeaderMacros.of(block).or(context.macros()));
        MessageHeader header = new MessageHeader(block);
        for (Stage stage : stages) {
            stage.edit(header, full);
        }
        return header.changed() ? new Edit(header.toBytes(), block.length()) : null;
    }
}
