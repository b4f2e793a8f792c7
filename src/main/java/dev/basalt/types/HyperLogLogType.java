package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * HyperLogLogs in Kvrocks's layout (src/types/redis_hyperloglog.cc): metadata (type 11, version, size 0,
 * encode_type 0) and Redis's 16384 dense 6-bit registers cut into 16 segments of 1024 registers (768
 * bytes) in the default column family, {@code [key, version, decimal segment index] = registers}; a
 * missing segment has every register at 0. The hash (MurmurHash64A, seed 0xadc83b19), the register
 * arithmetic and the estimator (Ertl's, as Redis 7.0's hllCount) are Redis's, so estimates equal
 * redis-server's for the same elements.
 */
public final class HyperLogLogType extends CollectionType<HyperLogLogMetadata> {
    private static final int P = 14;
    private static final int Q = 64 - P;
    private static final int REGISTERS = 1 << P;
    private static final int REGISTER_BITS = 6;
    private static final int REGISTER_MAX = (1 << REGISTER_BITS) - 1;
    public static final int SEGMENT_REGISTERS = 1024;
    public static final int SEGMENT_BYTES = SEGMENT_REGISTERS * REGISTER_BITS / 8;
    public static final int SEGMENTS = REGISTERS / SEGMENT_REGISTERS;
    private static final int SEED = 0xadc83b19;
    /** 0.5 / ln(2), Redis's HLL_ALPHA_INF. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    public static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String CORRUPTED = "INVALIDOBJ Corrupted HLL object detected";

    public static final DataType<HyperLogLogMetadata> TYPE = DataType.define(11, "string", HyperLogLogMetadata.class)
            .layout(HyperLogLogMetadata::read).subkeysIn(ColumnFamily.DEFAULT).mayBeEmpty().objectEncoding("raw")
            .build();

    public HyperLogLogType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected HyperLogLogMetadata empty(long version) {
        return HyperLogLogMetadata.empty(version);
    }

    /**
     * The live HyperLogLog at key, null when absent. Other types answer WRONGTYPE, strings (and bitmaps,
     * strings to Redis's clients) Redis's "not a valid HyperLogLog" variant of it.
     */
    private HyperLogLogMetadata lookup(byte[] key) throws StorageException, ErrorReply {
        Metadata m = keyspace.metadata(key);
        if (m == null) {
            return null;
        }
        if (m instanceof HyperLogLogMetadata h) {
            return h;
        }
        if (m instanceof StringMetadata || m.type() == BitmapType.TYPE) {
            throw new ErrorReply(NOT_HLL);
        }
        throw ErrorReply.wrongType();
    }

    /** PFADD: 1 when a register changed or the key was created, else 0. */
    public long add(byte[] key, List<byte[]> elements) throws StorageException, ErrorReply {
        HyperLogLogMetadata m = lookup(key);
        boolean created = m == null;
        byte[][] segments = new byte[SEGMENTS][];
        boolean[] dirty = new boolean[SEGMENTS];
        if (created) {
            m = create(key);
        }
        boolean changed = false;
        for (byte[] element : elements) {
            long hash = murmurHash64A(element);
            int index = (int) (hash & (REGISTERS - 1));
            int count = patternLength(hash);
            int segment = index / SEGMENT_REGISTERS;
            if (segments[segment] == null) {
                segments[segment] = created ? null : readSegment(key, m.version(), segment);
                if (segments[segment] == null) {
                    segments[segment] = new byte[SEGMENT_BYTES];
                }
            }
            int register = index % SEGMENT_REGISTERS;
            if (count > getRegister(segments[segment], register)) {
                setRegister(segments[segment], register, count);
                dirty[segment] = true;
                changed = true;
            }
        }
        if (!changed && !created) {
            return 0;
        }
        log();
        for (int s = 0; s < SEGMENTS; s++) {
            if (dirty[s]) {
                txn.put(ColumnFamily.DEFAULT, segmentKey(key, m.version(), s), segments[s]);
            }
        }
        keyspace.putMetadata(key, m);
        return 1;
    }

    /** PFCOUNT: the estimated cardinality of the union of the keys (missing keys are empty). */
    public long count(List<byte[]> keys) throws StorageException, ErrorReply {
        byte[][] merged = new byte[SEGMENTS][];
        for (byte[] key : keys) {
            HyperLogLogMetadata m = lookup(key);
            if (m != null) {
                merge(merged, registers(key, m));
            }
        }
        return estimate(merged);
    }

    /** PFMERGE: dest (created if absent) gets the maximum of its and the sources' registers. */
    public void merge(byte[] dest, List<byte[]> sources) throws StorageException, ErrorReply {
        byte[][] merged = new byte[SEGMENTS][];
        HyperLogLogMetadata m = lookup(dest);
        if (m != null) {
            merge(merged, registers(dest, m));
        }
        for (byte[] key : sources) {
            HyperLogLogMetadata s = lookup(key);
            if (s != null) {
                merge(merged, registers(key, s));
            }
        }
        if (m == null) {
            m = create(dest);
        }
        log();
        for (int s = 0; s < SEGMENTS; s++) {
            if (merged[s] != null) {
                txn.put(ColumnFamily.DEFAULT, segmentKey(dest, m.version(), s), merged[s]);
            }
        }
        keyspace.putMetadata(dest, m);
    }

    // ---- whole values (DUMP, RESTORE, RDB import) --------------------------------------------------

    /** Bytes of all 16384 registers in Redis's dense layout (segments one after the other). */
    public static final int DENSE_BYTES = SEGMENTS * SEGMENT_BYTES;

    /** Every register of the live HyperLogLog at key in Redis's dense layout, null when absent. */
    public byte[] denseRegisters(byte[] key) throws StorageException, ErrorReply {
        HyperLogLogMetadata m = lookup(key);
        if (m == null) {
            return null;
        }
        byte[][] segments = registers(key, m);
        byte[] dense = new byte[DENSE_BYTES];
        for (int s = 0; s < SEGMENTS; s++) {
            if (segments[s] != null) {
                System.arraycopy(segments[s], 0, dense, s * SEGMENT_BYTES, SEGMENT_BYTES);
            }
        }
        return dense;
    }

    /**
     * Replaces whatever key held (any type, its expiry too) with a HyperLogLog of these registers in
     * Redis's dense layout, expiring at expireAtMs (0 = never). Segments of zeros are not stored.
     */
    public void restore(byte[] key, byte[] dense, long expireAtMs) throws StorageException {
        if (dense.length != DENSE_BYTES) {
            throw new IllegalArgumentException("dense registers are " + DENSE_BYTES + " bytes, not " + dense.length);
        }
        log();
        keyspace.delete(key);
        HyperLogLogMetadata m = empty(txn.storage().nextVersion());
        for (int s = 0; s < SEGMENTS; s++) {
            byte[] segment = Arrays.copyOfRange(dense, s * SEGMENT_BYTES, (s + 1) * SEGMENT_BYTES);
            boolean zero = true;
            for (byte b : segment) {
                zero &= b == 0;
            }
            if (!zero) {
                txn.put(ColumnFamily.DEFAULT, segmentKey(key, m.version(), s), segment);
            }
        }
        keyspace.putMetadata(key, m.withExpireAtMs(expireAtMs));
    }

    // ---- registers ------------------------------------------------------------------------------

    private byte[] segmentKey(byte[] key, long version, int segment) {
        return codec.subkey(key, version, Integer.toString(segment).getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] readSegment(byte[] key, long version, int segment) throws StorageException, ErrorReply {
        byte[] v = txn.get(ColumnFamily.DEFAULT, segmentKey(key, version, segment));
        if (v != null && v.length != SEGMENT_BYTES) {
            throw new ErrorReply(CORRUPTED);
        }
        return v;
    }

    /** Every stored segment of one HyperLogLog by index (null where none is stored). */
    private byte[][] registers(byte[] key, HyperLogLogMetadata m) throws ErrorReply {
        byte[][] out = new byte[SEGMENTS][];
        byte[] prefix = codec.subkeyPrefix(key, m.version());
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                int segment = segmentIndex(KeyCodec.subkeyOf(it.key(), prefix.length));
                byte[] v = it.value();
                if (segment < 0 || v.length != SEGMENT_BYTES) {
                    throw new ErrorReply(CORRUPTED);
                }
                out[segment] = v;
            }
        }
        return out;
    }

    private static int segmentIndex(byte[] name) {
        if (name.length == 0 || name.length > 2) {
            return -1;
        }
        int n = 0;
        for (byte c : name) {
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < SEGMENTS ? n : -1;
    }

    /** into[s] = max(into[s], from[s]) register by register; a missing segment is all zeros. */
    private static void merge(byte[][] into, byte[][] from) {
        for (int s = 0; s < SEGMENTS; s++) {
            if (from[s] == null) {
                continue;
            }
            if (into[s] == null) {
                into[s] = from[s].clone();
                continue;
            }
            for (int r = 0; r < SEGMENT_REGISTERS; r++) {
                int v = getRegister(from[s], r);
                if (v > getRegister(into[s], r)) {
                    setRegister(into[s], r, v);
                }
            }
        }
    }

    /** Register r of a segment, packed as Redis's dense registers: 6 bits from the low bits of byte r*6/8 up. */
    static int getRegister(byte[] segment, int r) {
        int bit = r * REGISTER_BITS;
        int at = bit >>> 3;
        int shift = bit & 7;
        int b0 = segment[at] & 0xff;
        int b1 = shift > 8 - REGISTER_BITS ? segment[at + 1] & 0xff : 0;
        return ((b0 >> shift) | (b1 << (8 - shift))) & REGISTER_MAX;
    }

    static void setRegister(byte[] segment, int r, int value) {
        int bit = r * REGISTER_BITS;
        int at = bit >>> 3;
        int shift = bit & 7;
        segment[at] = (byte) ((segment[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 8 - REGISTER_BITS) {
            int high = 8 - shift;
            segment[at + 1] = (byte) ((segment[at + 1] & ~(REGISTER_MAX >> high)) | (value >> high));
        }
    }

    // ---- Redis's HyperLogLog arithmetic -----------------------------------------------------------

    /** Redis's MurmurHash64A (hyperloglog.c), endian-neutral, with the HyperLogLog seed. */
    static long murmurHash64A(byte[] data) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = data.length;
        long h = (SEED & 0xffffffffL) ^ (len * m);
        int i = 0;
        int end = len - (len & 7);
        for (; i < end; i += 8) {
            long k = (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int tail = len & 7;
        if (tail > 0) {
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (data[i + j] & 0xffL) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** The register value an element with this hash offers: 1 + the trailing zeros above the index bits. */
    static int patternLength(long hash) {
        long rest = (hash >>> P) | (1L << Q);
        return Long.numberOfTrailingZeros(rest) + 1;
    }

    /** Redis 7.0's hllCount over the register histogram (Ertl's estimator); missing segments are zeros. */
    static long estimate(byte[][] segments) {
        int[] histogram = new int[64];
        for (byte[] segment : segments) {
            if (segment == null) {
                histogram[0] += SEGMENT_REGISTERS;
                continue;
            }
            for (int r = 0; r < SEGMENT_REGISTERS; r++) {
                histogram[getRegister(segment, r)]++;
            }
        }
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double previous;
        double y = 1;
        double z = x;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double previous;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (previous != z);
        return z / 3;
    }
}
