package dev.basalt.types;

/**
 * Sorted-set scores in Kvrocks's order-preserving 8-byte encoding, so that the zset_score column family
 * sorts by score. Reading scores from text is {@link dev.basalt.util.CFloat}'s.
 */
public final class ZScore {
    public static final int BYTES = 8;

    private ZScore() {
    }

    /**
     * The IEEE-754 bits, all flipped for negative numbers and with the sign bit set for the others, big-endian:
     * unsigned byte order is then numeric order. -0.0 is stored as 0.0 so that the two tie like in Redis
     * (equal scores order by member).
     */
    public static byte[] encode(double score) {
        byte[] out = new byte[BYTES];
        encodeInto(score, out, 0);
        return out;
    }

    public static void encodeInto(double score, byte[] out, int offset) {
        long bits = Double.doubleToRawLongBits(score == 0 ? 0.0 : score);
        long u = bits < 0 ? ~bits : bits | Long.MIN_VALUE;
        for (int i = 0; i < BYTES; i++) {
            out[offset + i] = (byte) (u >>> (56 - 8 * i));
        }
    }

    public static double decode(byte[] b, int offset) {
        long u = 0;
        for (int i = 0; i < BYTES; i++) {
            u = (u << 8) | (b[offset + i] & 0xff);
        }
        long bits = u < 0 ? u & Long.MAX_VALUE : ~u;
        return Double.longBitsToDouble(bits);
    }

    public static double decode(byte[] b) {
        return decode(b, 0);
    }

    /** -0.0 becomes 0.0, as scores are stored. */
    public static double normalize(double d) {
        return d == 0 ? 0.0 : d;
    }
}
