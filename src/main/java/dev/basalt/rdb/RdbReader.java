package dev.basalt.rdb;

import dev.basalt.util.Crc64;
import dev.basalt.util.Lzf;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitives of Redis's RDB format (rdb.c) from a stream: lengths, strings in their raw,
 * integer and LZF encodings, doubles, times. Counts the bytes read and keeps their CRC-64 (a file's
 * trailer checks it). Lengths are never trusted for allocation: a string is read as its bytes arrive.
 */
final class RdbReader {
    /** Strings longer than this (Java arrays' limit) are refused. */
    private static final long MAX_STRING = Integer.MAX_VALUE - 16;
    private static final long LZF_MAX_RATIO = 88;

    private final InputStream in;
    private final Crc64 crc = new Crc64();
    private long position;

    RdbReader(InputStream in) {
        this.in = in;
    }

    long position() {
        return position;
    }

    long crc() {
        return crc.value();
    }

    int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("unexpected end of RDB data");
        }
        crc.update(b);
        position++;
        return b;
    }

    byte[] readBytes(long n) throws IOException, RdbFormatException {
        if (n < 0 || n > MAX_STRING) {
            throw new RdbFormatException("string of " + n + " bytes is too long");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new EOFException("unexpected end of RDB data");
        }
        crc.update(b, 0, b.length);
        position += n;
        return b;
    }

    /** The 8-byte trailer after EOF, outside the CRC it carries. */
    long readTrailer() throws IOException {
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw new EOFException("unexpected end of RDB data");
        }
        position += 8;
        return littleEndian(b, 0, 8);
    }

    static long littleEndian(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static long bigEndian(byte[] b, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private long fixed(int n, boolean little) throws IOException, RdbFormatException {
        byte[] b = readBytes(n);
        return little ? littleEndian(b, 0, n) : bigEndian(b, 0, n);
    }

    /** A length: rdbLoadLen. Special (encoded-string) forms are refused here. */
    long readLength() throws IOException, RdbFormatException {
        int first = readByte();
        if ((first & 0xc0) == 0xc0) {
            throw new RdbFormatException("unexpected encoded value where a length belongs");
        }
        return lengthAfter(first);
    }

    private long lengthAfter(int first) throws IOException, RdbFormatException {
        return switch (first >>> 6) {
            case 0 -> first & 0x3f;
            case 1 -> ((first & 0x3f) << 8) | readByte();
            default -> switch (first) {
                case 0x80 -> fixed(4, false);
                case 0x81 -> fixed(8, false);
                default -> throw new RdbFormatException("unknown length encoding " + first);
            };
        };
    }

    /** A length that must fit an int (element counts of what is materialized). */
    int readCount() throws IOException, RdbFormatException {
        long n = readLength();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new RdbFormatException("count " + Long.toUnsignedString(n) + " is out of range");
        }
        return (int) n;
    }

    /** A string in any of its encodings (raw, 8/16/32-bit integer, LZF), as its bytes. */
    byte[] readString() throws IOException, RdbFormatException {
        int first = readByte();
        if ((first & 0xc0) != 0xc0) {
            return readBytes(lengthAfter(first));
        }
        return switch (first & 0x3f) {
            case 0 -> decimal((byte) readByte());
            case 1 -> decimal((short) fixed(2, true));
            case 2 -> decimal((int) fixed(4, true));
            case 3 -> {
                long compressed = readLength();
                long length = readLength();
                // LZF expands at most 88 times (3 bytes of back reference for 264): a larger claim is
                // damage, refused before anything of that size is allocated.
                if (length > MAX_STRING || length > compressed * LZF_MAX_RATIO + LZF_MAX_RATIO) {
                    throw new RdbFormatException("LZF string of " + compressed + " bytes cannot expand to " + length);
                }
                try {
                    yield Lzf.decompress(readBytes(compressed), (int) length);
                } catch (IllegalArgumentException e) {
                    throw new RdbFormatException(e.getMessage());
                }
            }
            default -> throw new RdbFormatException("unknown string encoding " + (first & 0x3f));
        };
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** A double as RDB_TYPE_ZSET writes its scores: a length byte (253 NaN, 254 +inf, 255 -inf) and ASCII. */
    double readStringDouble() throws IOException, RdbFormatException {
        int len = readByte();
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> RdbNumbers.parseDouble(readBytes(len));
        };
    }

    /** A double in 8 little-endian bytes (RDB_TYPE_ZSET_2, module values). */
    double readBinaryDouble() throws IOException, RdbFormatException {
        return Double.longBitsToDouble(fixed(8, true));
    }

    /** Unix milliseconds in 8 little-endian bytes (RDB_OPCODE_EXPIRETIME_MS, stream times). */
    long readMillis() throws IOException, RdbFormatException {
        return fixed(8, true);
    }

    /** Unix seconds in 4 little-endian bytes (RDB_OPCODE_EXPIRETIME). */
    long readSeconds() throws IOException, RdbFormatException {
        return fixed(4, true);
    }

    void skip(long n) throws IOException, RdbFormatException {
        readBytes(n);
    }
}
