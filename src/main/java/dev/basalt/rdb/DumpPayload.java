package dev.basalt.rdb;

import dev.basalt.util.Crc64;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * DUMP and RESTORE payloads as Redis 7.0 writes and checks them (cluster.c): the value's type byte and
 * serialization, the RDB version as 2 little-endian bytes, then the CRC-64 of all that, 8 bytes
 * little-endian.
 */
public final class DumpPayload {
    private static final int FOOTER = 10;

    private DumpPayload() {
    }

    /** Redis's verifyDumpPayload: long enough, an RDB version Redis 7.0 reads, and a matching checksum. */
    public static boolean verify(byte[] p) {
        if (p.length < FOOTER) {
            return false;
        }
        int version = (p[p.length - 10] & 0xff) | (p[p.length - 9] & 0xff) << 8;
        if (version > RdbFormat.VERSION) {
            return false;
        }
        return Crc64.of(p, 0, p.length - 8) == RdbReader.littleEndian(p, p.length - 8, 8);
    }

    /** The value of a verified payload; RdbFormatException when it does not hold one (Redis's "Bad data format"). */
    public static RdbValue decode(byte[] p) throws RdbFormatException {
        RdbReader r = new RdbReader(new ByteArrayInputStream(p, 0, p.length - FOOTER));
        try {
            int type = r.readByte();
            if (!RdbFormat.isObjectType(type) || type == RdbFormat.SET_LISTPACK
                    || type == RdbFormat.STREAM_LISTPACKS_3) {
                throw new RdbFormatException("not a Redis 7.0 object type: " + type);
            }
            RdbValue v = RdbDecoder.read(r, type);
            if (RdbDecoder.isEmpty(v)) {
                throw new RdbFormatException("empty " + v.typeName());
            }
            return v;
        } catch (IOException e) {
            throw new RdbFormatException(e.getMessage());
        } catch (RuntimeException e) {
            // Damaged data that got past the checks (an index or number out of range): still just bad data.
            throw new RdbFormatException("damaged value: " + e);
        }
    }

    /** The payload DUMP answers for v. */
    public static byte[] encode(RdbValue v) {
        return RdbEncoder.payload(v);
    }
}
