package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.types.KeyspaceFixtures;
import dev.basalt.util.Bytes;
import dev.basalt.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Redis's glob rules, for KEYS and SCAN MATCH. The expected sets were recorded from a real Redis 7.0:
 * the keys below stored, then KEYS with each pattern, sorted bytewise.
 */
class KeyGlobTest {
    private static final List<String> KEYS = List.of("a", "b", "ab", "abc", "a*c", "a?c", "a[c", "a]c", "a\\c", "a-c",
            "x", "X", "hello", "hallo", "hxllo", "hllo", "heeeello", "^", "-", "]", "[", "\\", "a^c", "abd");

    /** Pattern, then the keys Redis 7.0's KEYS returned for it (space-separated, bytewise order). */
    private static final String[][] CASES = {
                {"*", "- X [ \\ ] ^ a a*c a-c a?c a[c a\\c a]c a^c ab abc abd b hallo heeeello hello hllo hxllo x"},
                {"h?llo", "hallo hello hxllo"},
                {"h*llo", "hallo heeeello hello hllo hxllo"},
                {"h[ae]llo", "hallo hello"},
                {"h[^e]llo", "hallo hxllo"},
                {"h[a-b]llo", "hallo"},
                {"a\\*c", "a*c"},
                {"a\\?c", "a?c"},
                {"a[\\]]c", "a]c"},
                {"[a-c]", "a b"},
                {"[c-a]", "a b"},
                {"[^a-c]", "- X [ \\ ] ^ x"},
                {"a[", ""},
                {"a[c", ""},
                {"a[^", "ab"},
                {"[]]", ""},
                {"[\\]]", "]"},
                {"\\", "\\"},
                {"a\\", ""},
                {"*\\", "\\"},
                {"[a-]", "] ^ a"},
                {"[-a]", "- a"},
                {"*[", ""},
                {"[x-X]", "X [ \\ ] ^ a b x"},
                {"a[^]c", "a*c a-c a?c a[c a\\c a]c a^c abc"},
                {"a[]c", ""},
                {"[\\", "\\"},
                {"a[*]c", "a*c"},
                {"a[?]c", "a?c"},
                {"a[\\\\]c", "a\\c"},
                {"ab[", ""},
                {"ab[c-", "abc"},
                {"ab[c-d", "abc abd"},
                {"*c", "a*c a-c a?c a[c a\\c a]c a^c abc"},
                {"**", "- X [ \\ ] ^ a a*c a-c a?c a[c a\\c a]c a^c ab abc abd b hallo heeeello hello hllo hxllo x"},
                {"?", "- X [ \\ ] ^ a b x"},
                {"??", "ab"},
                {"???", "a*c a-c a?c a[c a\\c a]c a^c abc abd"},
                {"a[-]c", "a-c"},
                {"a[!]c", ""},
                {"a[^^]c", "a*c a-c a?c a[c a\\c a]c abc"},
                {"[", ""},
                {"]", "]"},
                {"\\[", "["},
                {"\\]", "]"},
                {"h*", "hallo heeeello hello hllo hxllo"},
                {"h*l*o", "hallo heeeello hello hllo hxllo"},
                {"*e*e*", "heeeello"},
                {"a[b-c][c-d]", "abc abd"},
                {"H*", ""},
                {"[h]*", "hallo heeeello hello hllo hxllo"},
                {"\\h*", "hallo heeeello hello hllo hxllo"},
                {"a\\", ""},
                {"*\\c", "a*c a-c a?c a[c a\\c a]c a^c abc"},
                {"a[\\", ""},
    };

    private static List<String> expected(String[] c) {
        return c[1].isEmpty() ? List.of() : Arrays.asList(c[1].split(" "));
    }

    @Test
    void globMatchesWhatRedisKeysMatched() {
        for (String[] c : CASES) {
            List<String> matched = new ArrayList<>();
            for (String k : KEYS) {
                if (Glob.matches(Bytes.of(c[0]), Bytes.of(k), false)) {
                    matched.add(k);
                }
            }
            matched.sort((x, y) -> Bytes.compare(Bytes.of(x), Bytes.of(y)));
            assertEquals(expected(c), matched, "pattern " + c[0]);
        }
    }

    private static final Pattern BULK = Pattern.compile("\\$\\d+\\r\\n([^\\r]*)\\r\\n");

    @Test
    void keysOverTheWireMatchesRedis() throws Exception {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            for (String k : KEYS) {
                KeyspaceFixtures.string(s.server().storage(), KeyspaceFixtures.NS, k, "1", 0);
            }
            for (String[] cs : CASES) {
                String reply = c.call("KEYS", cs[0]);
                List<String> got = new ArrayList<>();
                Matcher m = BULK.matcher(reply);
                while (m.find()) {
                    got.add(m.group(1));
                }
                assertEquals(expected(cs), got, "KEYS " + cs[0] + " -> " + reply);
            }
        }
    }

    @Test
    void basicsAndNocase() {
        assertTrue(Glob.matches("*", ""));
        assertTrue(Glob.matches("", ""));
        assertFalse(Glob.matches("?", ""));
        assertTrue(Glob.matches("a*b*c", "aXXbYYc"));
        assertFalse(Glob.matches("a*b*c", "aXXbYY"));
        assertTrue(Glob.matches("*a*a*a*", "banana a"));
        assertTrue(Glob.matches("[^a-c]x", "dx"));
        assertFalse(Glob.matches("[^a-c]x", "bx"));
        assertTrue(Glob.matches("\\*", "*"));
        assertFalse(Glob.matches("\\*", "a"));
        assertTrue(Glob.matches(Bytes.of("HELLO*"), Bytes.of("hello world"), true));
        assertTrue(Glob.matches(Bytes.of("h[A-Z]llo"), Bytes.of("hello"), true));
        assertFalse(Glob.matches(Bytes.of("h[A-Z]llo"), Bytes.of("hello"), false));
        // Bytes above 0x7f compare unsigned in ranges.
        assertTrue(Glob.matches(new byte[] {'[', 'a', '-', (byte) 0xff, ']'}, new byte[] {(byte) 0xc3}, false));
        // A pathological pattern ends (bounded backtracking) instead of hanging.
        String many = "*a".repeat(30) + "b";
        assertFalse(Glob.matches(many, "a".repeat(60)));
        assertTrue(Glob.isLiteral(Bytes.of("plain-key:1")));
        assertFalse(Glob.isLiteral(Bytes.of("a\\b")));
    }
}
