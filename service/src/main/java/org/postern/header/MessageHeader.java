package org.postern.header;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A message's header block being edited for one delivery. Stages read what the message had
 * ({@link #original()}) and add, replace or remove fields; new fields go after the leading trace
 * fields ({@code Return-Path:}, {@code Received:}, which RFC 5321 §4.4 keeps at the top), or at the
 * very top for {@code Return-Path:}.
 */
public final class MessageHeader {
    private final HeaderBlock original;
    private final List<HeaderField> fields;
    /** Index in {@link #fields} after the leading trace fields: where added fields go. */
    private int insertAt;
    private boolean changed;

    public MessageHeader(HeaderBlock original) {
        this.original = original;
        this.fields = new ArrayList<>(original.fields());
        while (insertAt < fields.size() && isTrace(fields.get(insertAt))) {
            insertAt++;
        }
    }

    private static boolean isTrace(HeaderField f) {
        return f.is("Received") || f.is("Return-Path");
    }

    /** The header block as the message has it, before any stage ran. */
    public HeaderBlock original() {
        return original;
    }

    /** The fields as they now stand. */
    public List<HeaderField> fields() {
        return Collections.unmodifiableList(fields);
    }

    /** Adds a field at the very top (Return-Path: belongs above the trace fields). */
    public void prepend(HeaderField field) {
        fields.add(0, field);
        insertAt++;
        changed = true;
    }

    /** Adds a field after the leading trace fields and after fields added before it. */
    public void addAfterTrace(HeaderField field) {
        fields.add(insertAt++, field);
        changed = true;
    }

    /** Replaces the field at {@code index} of {@link #fields()} (address rewriting, for example). */
    public void set(int index, HeaderField field) {
        fields.set(index, field);
        changed = true;
    }

    /** Removes the field at {@code index} of {@link #fields()}. */
    public void remove(int index) {
        fields.remove(index);
        if (index < insertAt) {
            insertAt--;
        }
        changed = true;
    }

    public boolean changed() {
        return changed;
    }

    /** The edited block's octets, which replace the original block's {@link HeaderBlock#length()}. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length() + 512);
        for (int i = 0; i < fields.size(); i++) {
            byte[] raw = fields.get(i).rawUnsafe();
            out.write(raw, 0, raw.length);
            if (i < fields.size() - 1 && (raw.length == 0 || raw[raw.length - 1] != '\n')) {
                // A last field without its line break, no longer last.
                out.write('\r');
                out.write('\n');
            }
        }
        return out.toByteArray();
    }
}
