package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order-preserving score encoding. */
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
}
