package org.postern.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mailertable matching: exact keys, leading-dot keys, the most qualified match, case and dots. */
class DomainTableTest {

    private final DomainTable<String> table = new DomainTable<>(Map.of(
            "example.com", "exact",
            ".example.com", "sub",
            ".deep.example.com", "deeper",
            "host.deep.example.com", "host"));

    @Test
    void exactKeyMatchesOnlyThatDomain() {
        assertThat(table.lookup("example.com")).contains("exact");
        assertThat(table.lookup("example.org")).isEmpty();
        assertThat(table.lookup("notexample.com")).isEmpty();
    }

    @Test
    void leadingDotMatchesSubdomainsButNotTheDomainItself() {
        DomainTable<String> subOnly = new DomainTable<>(Map.of(".example.net", "sub"));
        assertThat(subOnly.lookup("a.example.net")).contains("sub");
        assertThat(subOnly.lookup("b.a.example.net")).contains("sub");
        assertThat(subOnly.lookup("example.net")).isEmpty();
        assertThat(subOnly.lookup("badexample.net")).isEmpty();
    }

    @Test
    void theMostQualifiedKeyWins() {
        assertThat(table.lookup("a.example.com")).contains("sub");
        assertThat(table.lookup("deep.example.com")).contains("sub");
        assertThat(table.lookup("x.deep.example.com")).contains("deeper");
        assertThat(table.lookup("y.x.deep.example.com")).contains("deeper");
        assertThat(table.lookup("host.deep.example.com")).contains("host");
        assertThat(table.lookup("a.host.deep.example.com")).contains("deeper");
    }

    @Test
    void caseAndTrailingDotsDoNotMatter() {
        DomainTable<String> mixed = new DomainTable<>(Map.of("Example.COM.", "exact", ".Sub.Example.Org.", "sub"));
        assertThat(mixed.lookup("EXAMPLE.com")).contains("exact");
        assertThat(mixed.lookup("example.com.")).contains("exact");
        assertThat(mixed.lookup("A.SUB.example.ORG.")).contains("sub");
    }

    @Test
    void aLoneDotCatchesWhatNothingElseMatches() {
        DomainTable<String> withDefault = new DomainTable<>(Map.of(".", "any", "example.com", "exact"));
        assertThat(withDefault.lookup("example.com")).contains("exact");
        assertThat(withDefault.lookup("elsewhere.org")).contains("any");
        assertThat(withDefault.lookup("[127.0.0.1]")).contains("any");
        assertThat(table.lookup("[127.0.0.1]")).isEmpty();
    }

    @Test
    void internationalNamesMatchTheirALabels() {
        DomainTable<String> idn = new DomainTable<>(Map.of("bücher.example", "books"));
        assertThat(idn.lookup("xn--bcher-kva.example")).contains("books");
        assertThat(idn.lookup("BÜCHER.example")).contains("books");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "..", "a..b", "*.example.com", "exa mple.com", "-bad.example", "ex!ample.com", ".",
            "example.com/24"})
    void rejectsKeysThatAreNotDomains(String key) {
        Map<String, String> entries = new HashMap<>();
        entries.put(key, "v");
        if (key.equals(".")) {
            entries.put(" . ", "w"); // two catch-alls
        }
        assertThatThrownBy(() -> new DomainTable<>(entries)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain");
    }

    @Test
    void rejectsKeysThatCollideOnceNormalised() {
        assertThatThrownBy(() -> new DomainTable<>(Map.of("example.com", "a", "EXAMPLE.com.", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }

    @Test
    void emptyTableMatchesNothing() {
        assertThat(DomainTable.<String>empty().lookup("example.com")).isEmpty();
        assertThat(DomainTable.empty().isEmpty()).isTrue();
        assertThat(table.size()).isEqualTo(4);
    }
}
