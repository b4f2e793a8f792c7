package dev.basalt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reading doubles from text the two ways Redis does: strictly (ZADD, WEIGHTS) and as C's strtod (range bounds, SORT). */
@Timeout(60)
class CFloatTest {
    private static Double strict(String s) {
        return CFloat.parseDouble(Bytes.of(s));
    }

    @Test
    void strictParsingFollowsRedisGetDouble() {
        assertEquals(1.5, strict("1.5"));
        assertEquals(16.0, strict("0x10"));
        assertEquals(8.0, strict("0x1p3"));
        assertEquals(3.0, strict("0x1.8p1"));
        assertEquals(0.5, strict(".5"));
        assertEquals(5.0, strict("5."));
        assertEquals(5.0, strict("+.5e+1"));
        assertEquals(Double.POSITIVE_INFINITY, strict("inf"));
        assertEquals(Double.POSITIVE_INFINITY, strict("+Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, strict("-INF"));
        assertEquals(9.9999999999999694e-311, strict("1e-310")); // subnormal: accepted
        for (String bad : new String[] {"", " 1", "1 ", "nan", "-nan", "NaN(1)", "1e400", "-1e400", "1e-400",
                "1_0", "abc", "1e", "0x", "-", "+", ".", "e5", "1.5.5", "infinit", "0x1p"}) {
            assertNull(strict(bad), "'" + bad + "' should be refused");
        }
    }

    private static CFloat.Strtod strtod(String s, int from) {
        return CFloat.strtod(Bytes.of(s), from);
    }

    @Test
    void strtodReadsTheLongestNumberPrefixLikeC() {
        assertEquals(new CFloat.Strtod(0.0, 0, false), strtod("", 0));
        assertEquals(new CFloat.Strtod(0.0, 0, false), strtod("  ", 0)); // nothing read: end stays at the start
        assertEquals(new CFloat.Strtod(1.0, 2, false), strtod(" 1 ", 0));
        assertEquals(new CFloat.Strtod(2.0, 3, false), strtod("( 2", 1));
        assertEquals(new CFloat.Strtod(0.0, 1, false), strtod("0x", 0));
        assertEquals(new CFloat.Strtod(1.0, 1, false), strtod("1e", 0));
        assertEquals(new CFloat.Strtod(1.0, 1, false), strtod("1e+", 0));
        assertEquals(new CFloat.Strtod(Double.POSITIVE_INFINITY, 3, false), strtod("infx", 0));
        assertEquals(new CFloat.Strtod(Double.POSITIVE_INFINITY, 8, false), strtod("infinity", 0));
        assertEquals(new CFloat.Strtod(Double.POSITIVE_INFINITY, 5, true), strtod("1e400", 0));
        assertEquals(new CFloat.Strtod(0.0, 6, true), strtod("1e-400", 0));
        assertEquals(new CFloat.Strtod(Double.NEGATIVE_INFINITY, 9, true), strtod("-0x1p9999", 0));
        CFloat.Strtod nan = strtod("nan(abc)", 0);
        assertTrue(Double.isNaN(nan.value()));
        assertEquals(8, nan.end());
        assertEquals(3, strtod("nan(", 0).end());
        assertEquals(new CFloat.Strtod(0.0, 0, false), strtod("-", 0));
        // Exponents with many digits, and long mantissas, read exactly.
        assertEquals(new CFloat.Strtod(1e5, 21, false), strtod("1e0000000000000000005", 0));
        assertEquals(new CFloat.Strtod(Double.POSITIVE_INFINITY, 22, true), strtod("1e99999999999999999999", 0));
        String longOne = "1." + "0".repeat(400) + "1";
        assertEquals(new CFloat.Strtod(1.0, longOne.length(), false), strtod(longOne, 0));
    }

    @Test
    void strtodSetsErangeForInexactSubnormalsAsGlibcDoes() {
        assertTrue(strtod("1e-310", 0).rangeError(), "rounded to a subnormal");
        assertEquals(new CFloat.Strtod(Double.MIN_VALUE, 9, false), strtod("0x1p-1074", 0));
        assertEquals(new CFloat.Strtod(Double.MIN_NORMAL, 9, false), strtod("0x1p-1022", 0));
        assertEquals(new CFloat.Strtod(-Double.MIN_VALUE * 3, 12, false), strtod("-0x1.8p-1073", 0));
    }
}
