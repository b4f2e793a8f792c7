package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order-preserving score encoding and Redis's two ways of reading a score from text. */
class ZSetScoreTest {
    private static String hex(double d) {
        return HexFormat.of().formatHex(ZScore.encode(d));
    }

    @Test
    void encodingMatchesKvrocksByteForByte() {
        // 1.0 = 0x3FF0000000000000: sign bit set -> 0xBFF0...
        assertEquals("bff0000000000000", hex(1.0));
        // -1.0 = 0xBFF0000000000000: all bits flipped -> 0x400F...
        assertEquals("400fffffffffffff", hex(-1.0));
        assertEquals("8000000000000000", hex(0.0));
        assertEquals("fff0000000000000", hex(Double.POSITIVE_INFINITY));
        assertEquals("000fffffffffffff", hex(Double.NEGATIVE_INFINITY));
    }

    @Test
    void negativeZeroIsStoredAsZero() {
        assertArrayEquals(ZScore.encode(0.0), ZScore.encode(-0.0));
        assertEquals(0x0L, Double.doubleToRawLongBits(ZScore.decode(ZScore.encode(-0.0))));
    }

    @Test
    void byteOrderIsNumericOrderAndDecodeInvertsEncode() {
        Random r = new Random(42);
        double[] values = new double[500];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 6) {
                case 0 -> r.nextGaussian() * 1e6;
                case 1 -> r.nextInt(20) - 10;
                case 2 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern, NaNs filtered below
                case 3 -> Double.MIN_VALUE * (r.nextBoolean() ? 1 : -1);
                case 4 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                default -> r.nextDouble() * (r.nextBoolean() ? 1e-300 : -1e300);
            };
            if (Double.isNaN(values[i])) {
                values[i] = 0.5;
            }
        }
        for (double v : values) {
            assertEquals(ZScore.normalize(v), ZScore.decode(ZScore.encode(v)));
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        byte[][] enc = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            enc[i] = ZScore.encode(values[i]);
        }
        Arrays.sort(enc, Bytes::compare);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(ZScore.normalize(sorted[i]), ZScore.decode(enc[i]), "position " + i);
        }
    }

    private static Double strict(String s) {
        return ZScore.parseStrict(Bytes.of(s));
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

    private static ZScore.Strtod strtod(String s, int from) {
        return ZScore.strtod(Bytes.of(s), from);
    }

    @Test
    void strtodReadsTheLongestNumberPrefixLikeC() {
        assertEquals(new ZScore.Strtod(0.0, 0, false), strtod("", 0));
        assertEquals(new ZScore.Strtod(0.0, 0, false), strtod("  ", 0)); // nothing read: end stays at the start
        assertEquals(new ZScore.Strtod(1.0, 2, false), strtod(" 1 ", 0));
        assertEquals(new ZScore.Strtod(2.0, 3, false), strtod("( 2", 1));
        assertEquals(new ZScore.Strtod(0.0, 1, false), strtod("0x", 0));
        assertEquals(new ZScore.Strtod(1.0, 1, false), strtod("1e", 0));
        assertEquals(new ZScore.Strtod(1.0, 1, false), strtod("1e+", 0));
        assertEquals(new ZScore.Strtod(Double.POSITIVE_INFINITY, 3, false), strtod("infx", 0));
        assertEquals(new ZScore.Strtod(Double.POSITIVE_INFINITY, 8, false), strtod("infinity", 0));
        assertEquals(new ZScore.Strtod(Double.POSITIVE_INFINITY, 5, true), strtod("1e400", 0));
        assertEquals(new ZScore.Strtod(0.0, 6, true), strtod("1e-400", 0));
        assertEquals(new ZScore.Strtod(Double.NEGATIVE_INFINITY, 9, true), strtod("-0x1p9999", 0));
        ZScore.Strtod nan = strtod("nan(abc)", 0);
        assertTrue(Double.isNaN(nan.value()));
        assertEquals(8, nan.end());
        assertEquals(3, strtod("nan(", 0).end());
        assertEquals(new ZScore.Strtod(0.0, 0, false), strtod("-", 0));
        // Exponents with many digits, and long mantissas, read exactly.
        assertEquals(new ZScore.Strtod(1e5, 21, false), strtod("1e0000000000000000005", 0));
        assertEquals(new ZScore.Strtod(Double.POSITIVE_INFINITY, 22, true), strtod("1e99999999999999999999", 0));
        String longOne = "1." + "0".repeat(400) + "1";
        assertEquals(new ZScore.Strtod(1.0, longOne.length(), false), strtod(longOne, 0));
    }
}
