package org.postern.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.postern.macro.MacroSyntaxException;
import org.postern.macro.MacroTemplate;
import org.postern.macro.MacroValues;

/**
 * Fuzzes the sendmail macro language ({@link MacroTemplate#parse} and {@link MacroTemplate#expand}).
 * Parsing fails only with {@link MacroSyntaxException} and a reason. Expansion terminates and its
 * output is bounded: it is the template's own text (never longer than the source) plus the values
 * inserted, each exactly once per reference and never expanded again, even when a value looks
 * like a template. Checked with no macro set, with every macro set to a value that contains the
 * template itself, and with half of them set (both branches of conditionals).
 */
class MacroTemplateFuzzTest {

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void templates(byte[] input) {
        String source = new String(input, StandardCharsets.UTF_8);
        MacroTemplate template;
        try {
            template = MacroTemplate.parse(source);
        } catch (MacroSyntaxException e) {
            assertThat(e.getMessage()).as("reason for refusing %s", source).isNotBlank();
            return;
        }
        assertThat(template.source()).isEqualTo(source);
        MacroValues templateLike = name -> "$" + name + "{" + source + "}$?" + name;
        MacroValues half = name -> (name.hashCode() & 1) == 0 ? templateLike.get(name) : null;
        checkExpansion(template, MacroValues.NONE);
        checkExpansion(template, templateLike);
        checkExpansion(template, half);
    }

    private static void checkExpansion(MacroTemplate template, MacroValues values) {
        String skeleton = template.expand(values, value -> "");
        assertThat(skeleton.length()).as("the template's own text").isLessThanOrEqualTo(template.source().length());
        AtomicLong inserted = new AtomicLong();
        AtomicLong references = new AtomicLong();
        String expanded = template.expand(values, value -> {
            inserted.addAndGet(value.length());
            references.incrementAndGet();
            return value;
        });
        assertThat((long) expanded.length()).as("expansion of %s", template.source())
                .isEqualTo(skeleton.length() + inserted.get());
        // every inserted value stands for a reference of at least two characters ($x) in the source
        assertThat(references.get()).isLessThanOrEqualTo(template.source().length() / 2);
        assertThat(template.expand(values)).isEqualTo(expanded);
        for (String name : template.macroNames()) {
            assertThat(name).isNotEmpty();
        }
    }
}
