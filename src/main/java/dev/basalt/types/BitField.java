package dev.basalt.types;

/**
 * BITFIELD's integers: reading and writing a signed or unsigned field of 1 to 64 bits at any bit offset of
 * a byte string in Redis's bit order, and Redis 7.0's overflow rules (bitops.c) for SET and INCRBY.
 */
public final class BitField {
    private BitField() {
    }

    public enum Overflow { WRAP, SAT, FAIL }

    public enum Kind { GET, SET, INCRBY }

    /**
     * One subcommand: its kind, the field's signedness and width, its absolute bit offset, the SET value
     * or INCRBY increment, and the OVERFLOW rule in force when it was given.
     */
    public record Operation(Kind kind, boolean signed, int bits, long offset, long value, Overflow overflow) {
        public boolean writes() {
            return kind != Kind.GET;
        }

        /** The field's type as BITFIELD writes it ("i8", "u16"). */
        public String typeName() {
            return (signed ? "i" : "u") + bits;
        }
    }

    /** What one SET or INCRBY does: its reply (null when OVERFLOW FAIL refused it) and the field's new value. */
    public record Outcome(Long reply, long newValue) {
        public boolean refused() {
            return reply == null;
        }
    }

    /** The field of width bits at bit offset in p (Redis's order), as an unsigned number; p must hold it. */
    public static long getUnsigned(byte[] p, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++, offset++) {
            int bit = (p[(int) (offset >>> 3)] >> (7 - (offset & 7))) & 1;
            value = (value << 1) | bit;
        }
        return value;
    }

    /** As {@link #getUnsigned}, sign-extended from its top bit. */
    public static long getSigned(byte[] p, long offset, int bits) {
        long value = getUnsigned(p, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low bits of value as the field of width bits at bit offset in p. */
    public static void set(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            boolean on = (value & (1L << (bits - 1 - j))) != 0;
            int byteIndex = (int) (offset >>> 3);
            int mask = 1 << (7 - (offset & 7));
            p[byteIndex] = (byte) (on ? p[byteIndex] | mask : p[byteIndex] & ~mask);
        }
    }

    /** The field's current value as GET answers it. */
    public static long get(byte[] p, long offset, Operation op) {
        return op.signed() ? getSigned(p, offset, op.bits()) : getUnsigned(p, offset, op.bits());
    }

    /** Applies a SET or INCRBY to a field whose current value is old (as {@link #get} reads it). */
    public static Outcome apply(Operation op, long old) {
        boolean incr = op.kind() == Kind.INCRBY;
        long value = incr ? old : op.value();
        long delta = incr ? op.value() : 0;
        long[] limit = new long[1];
        int overflow = op.signed() ? signedOverflow(value, delta, op.bits(), op.overflow(), limit)
                : unsignedOverflow(value, delta, op.bits(), op.overflow(), limit);
        if (overflow != 0 && op.overflow() == Overflow.FAIL) {
            return new Outcome(null, old);
        }
        long newValue = overflow != 0 ? limit[0] : value + delta;
        return new Outcome(incr ? newValue : old, newValue);
    }

    /**
     * Redis's checkUnsignedBitfieldOverflow (widths up to 63): 1 on overflow, -1 on underflow, 0 when value
     * + incr fits; limit gets the wrapped or saturated result.
     */
    private static int unsignedOverflow(long value, long incr, int bits, Overflow ow, long[] limit) {
        long max = (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        int result;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            result = 1;
            limit[0] = max;
        } else if (incr < 0 && incr < minIncr) {
            result = -1;
            limit[0] = 0;
        } else {
            return 0;
        }
        if (ow == Overflow.WRAP) {
            limit[0] = (value + incr) & max;
        }
        return result;
    }

    /** Redis's checkSignedBitfieldOverflow, with its two's complement wrap-around for WRAP. */
    private static int signedOverflow(long value, long incr, int bits, Overflow ow, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value;
        long minIncr = min - value;
        int result;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            result = 1;
            limit[0] = max;
        } else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            result = -1;
            limit[0] = min;
        } else {
            return 0;
        }
        if (ow == Overflow.WRAP) {
            long c = value + incr;
            if (bits < 64) {
                long mask = -1L << bits;
                c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
            }
            limit[0] = c;
        }
        return result;
    }
}
