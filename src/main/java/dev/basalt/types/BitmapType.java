package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bits;
import dev.basalt.util.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bitmaps in Kvrocks's layout (src/types/redis_bitmap.cc): metadata (type 6, version, size = the length
 * in bytes of the bit string it stands for) and 1 KiB fragments in the default column family,
 * {@code [key, version, decimal byte offset of the fragment] = bytes}, bits numbered from the least
 * significant bit of each byte. A fragment may be shorter than 1 KiB and missing fragments are zeros, so
 * a single bit at offset 2^32-1 costs one fragment.
 *
 * <p>The bit commands read a key through {@link BitString}: a string's bytes or a bitmap's fragments,
 * both seen as the bit string Redis would hold. Writes keep a string a string (as Kvrocks's
 * BitmapString does) and create a bitmap where the key did not exist.
 */
public final class BitmapType extends CollectionType<CollectionMetadata> {
    public static final int FRAGMENT_BYTES = 1024;
    private static final int FRAGMENT_BITS = FRAGMENT_BYTES * 8;
    /** Kvrocks's bit offsets are 32 bits wide: a bit command addresses at most 2^29 bytes. */
    public static final long MAX_BYTES = 1L << 29;
    /** Ranges of up to this many fragments (1 MiB) are always looked up one by one (see {@link #forEachFragment}). */
    private static final int LOOKUP_SPAN = 1024;
    /** BITOP writes its results after this many fragments (writing invalidates open iterators). */
    private static final int BITOP_CHUNK = 256;

    public static final String TOO_BIG_FOR_STRING =
            "ERR The size of the bitmap string exceeds the configuration item max-bitmap-to-string-mb";

    public static final DataType<CollectionMetadata> TYPE = DataType.define(6, "string", CollectionMetadata.class)
            .layout(CollectionMetadata::read).subkeysIn(ColumnFamily.DEFAULT).objectEncoding("raw").build();

    /** BITOP's operations. */
    public enum BitOp { AND, OR, XOR, NOT }

    public BitmapType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected CollectionMetadata empty(long version) {
        return CollectionMetadata.empty(TYPE, version);
    }

    // ---- reading a key as a bit string ---------------------------------------------------------

    /** The live value of a bit command's key, null when absent; WRONGTYPE unless it is a string or a bitmap. */
    public BitString read(byte[] key) throws StorageException, ErrorReply {
        Metadata m = keyspace.metadata(key);
        if (m == null) {
            return null;
        }
        if (m instanceof StringMetadata s) {
            return new StringBits(s.value());
        }
        if (m.type() == TYPE) {
            return new Fragments(key, (CollectionMetadata) m);
        }
        throw ErrorReply.wrongType();
    }

    /**
     * A value as the bit commands see it: Redis's bit string, bit 0 being the top bit of byte 0, of
     * {@link #length()} bytes.
     */
    public abstract static sealed class BitString permits StringBits, Fragments {
        public abstract long length();

        /** Set bits in bytes from..to (inclusive, within the length). */
        abstract long count(long from, long to) throws StorageException;

        /** Byte i as Redis holds it (0 past the stored data). */
        abstract int byteAt(long i) throws StorageException;

        /** The first bit equal to bit within bits from..to (inclusive, within the length), or -1. */
        abstract long firstBit(boolean bit, long from, long to) throws StorageException;

        /** len bytes from byte from as Redis holds them, zero past the end. */
        abstract byte[] read(long from, int len) throws StorageException;

        /** Marks the fragments that hold data (by index) in present. */
        abstract void markFragments(BitSet present) throws StorageException;
    }

    /** A string value: its bytes are the bit string. */
    static final class StringBits extends BitString {
        private final byte[] value;

        StringBits(byte[] value) {
            this.value = value;
        }

        @Override
        public long length() {
            return value.length;
        }

        @Override
        long count(long from, long to) {
            return Bits.popcount(value, (int) from, (int) (to - from + 1));
        }

        @Override
        int byteAt(long i) {
            return i < value.length ? value[(int) i] & 0xff : 0;
        }

        @Override
        long firstBit(boolean bit, long from, long to) {
            return firstBitIn(value, 0, false, bit, from, to);
        }

        @Override
        byte[] read(long from, int len) {
            byte[] out = new byte[len];
            if (from < value.length) {
                System.arraycopy(value, (int) from, out, 0, (int) Math.min(len, value.length - from));
            }
            return out;
        }

        @Override
        void markFragments(BitSet present) {
            if (value.length > 0) {
                present.set(0, (value.length - 1) / FRAGMENT_BYTES + 1);
            }
        }

        /** Fragment index as Kvrocks would store it: bits reversed; null past the end. */
        byte[] fragment(long index) {
            long from = index * FRAGMENT_BYTES;
            if (from >= value.length) {
                return null;
            }
            return Bits.reversedCopy(value, (int) from, (int) Math.min(FRAGMENT_BYTES, value.length - from));
        }
    }

    /** A bitmap: its fragments, read through the command's Txn. */
    final class Fragments extends BitString {
        private final byte[] key;
        private final CollectionMetadata meta;

        Fragments(byte[] key, CollectionMetadata meta) {
            this.key = key;
            this.meta = meta;
        }

        @Override
        public long length() {
            return meta.size();
        }

        @Override
        long count(long from, long to) throws StorageException {
            long[] n = {0};
            forEachFragment(key, meta, from / FRAGMENT_BYTES, to / FRAGMENT_BYTES, (index, raw) -> {
                long base = index * FRAGMENT_BYTES;
                long lo = Math.max(from, base);
                long hi = Math.min(to, base + raw.length - 1);
                if (lo <= hi) {
                    n[0] += Bits.popcount(raw, (int) (lo - base), (int) (hi - lo + 1));
                }
            });
            return n[0];
        }

        @Override
        int byteAt(long i) throws StorageException {
            byte[] raw = txn.get(ColumnFamily.DEFAULT, fragmentKey(key, meta.version(), i / FRAGMENT_BYTES));
            int at = (int) (i % FRAGMENT_BYTES);
            return raw == null || at >= raw.length ? 0 : Bits.reverse(raw[at]) & 0xff;
        }

        @Override
        long firstBit(boolean bit, long from, long to) throws StorageException {
            long firstIndex = from / FRAGMENT_BITS;
            long lastIndex = to / FRAGMENT_BITS;
            BitSet present = new BitSet();
            long[] best = {-1};
            forEachFragment(key, meta, firstIndex, lastIndex, (index, raw) -> {
                present.set((int) (index - firstIndex));
                long base = index * FRAGMENT_BITS;
                long found = firstBitIn(raw, base, true, bit, Math.max(from, base), Math.min(to, base + FRAGMENT_BITS - 1));
                if (found >= 0 && (best[0] < 0 || found < best[0])) {
                    best[0] = found;
                }
            });
            if (!bit) {
                // A missing fragment is all zeros.
                long absent = firstIndex + present.nextClearBit(0);
                if (absent <= lastIndex) {
                    long found = Math.max(from, absent * FRAGMENT_BITS);
                    if (best[0] < 0 || found < best[0]) {
                        best[0] = found;
                    }
                }
            }
            return best[0];
        }

        @Override
        byte[] read(long from, int len) throws StorageException {
            byte[] out = new byte[len];
            if (len == 0) {
                return out;
            }
            long to = from + len - 1;
            forEachFragment(key, meta, from / FRAGMENT_BYTES, to / FRAGMENT_BYTES, (index, raw) -> {
                long base = index * FRAGMENT_BYTES;
                long lo = Math.max(from, base);
                long hi = Math.min(to, base + raw.length - 1);
                for (long i = lo; i <= hi; i++) {
                    out[(int) (i - from)] = Bits.reverse(raw[(int) (i - base)]);
                }
            });
            return out;
        }

        @Override
        void markFragments(BitSet present) throws StorageException {
            forEachFragment(key, meta, 0, (meta.size() - 1) / FRAGMENT_BYTES,
                    (index, raw) -> present.set((int) index));
        }
    }

    /**
     * The first bit equal to bit at positions from..to of a bit string holding data, whose first bit is at
     * position start; bits past data are zeros. lsbFirst reads data in Kvrocks's fragment order.
     */
    private static long firstBitIn(byte[] data, long start, boolean lsbFirst, boolean bit, long from, long to) {
        int skip = bit ? 0 : 0xff;
        long lastByte = to >>> 3;
        for (long b = from >>> 3; b <= lastByte; b++) {
            long at = b - (start >>> 3);
            int v = at < data.length ? data[(int) at] & 0xff : 0;
            if (lsbFirst) {
                v = Bits.reverse((byte) v) & 0xff;
            }
            if (v == skip) {
                continue;
            }
            long lo = Math.max(from, b << 3);
            long hi = Math.min(to, (b << 3) + 7);
            for (long i = lo; i <= hi; i++) {
                if (((v >> (7 - (i & 7))) & 1) == (bit ? 1 : 0)) {
                    return i;
                }
            }
        }
        return -1;
    }

    // ---- fragments ----------------------------------------------------------------------------

    /** A fragment's subkey: its byte offset in decimal, as Kvrocks names it. */
    private byte[] fragmentKey(byte[] key, long version, long index) {
        return codec.subkey(key, version, Long.toString(index * FRAGMENT_BYTES).getBytes(StandardCharsets.US_ASCII));
    }

    @FunctionalInterface
    private interface FragmentVisitor {
        void visit(long index, byte[] raw);
    }

    /**
     * Visits the stored fragments with index first..last, in no particular order (subkeys sort as decimal
     * text, not as numbers). Ranges up to 1 MiB, or that are a small part of a long bitmap, are looked up
     * fragment by fragment, as Kvrocks does: a lookup lands on a fragment's newest version, where a walk
     * steps over every older one still in the memtable, and a bitmap written bit by bit leaves many. Wider
     * ranges walk every fragment of the bitmap, so that a sparse bitmap costs what it holds.
     */
    private void forEachFragment(byte[] key, CollectionMetadata m, long first, long last, FragmentVisitor v) {
        if (last < first) {
            return;
        }
        long span = last - first + 1;
        long fragments = (m.size() + FRAGMENT_BYTES - 1) / FRAGMENT_BYTES;
        try (TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            if (span <= LOOKUP_SPAN || span < fragments / 8) {
                for (long index = first; index <= last; index++) {
                    byte[] raw = lookup(it, fragmentKey(key, m.version(), index));
                    if (raw != null) {
                        v.visit(index, raw);
                    }
                }
                return;
            }
            byte[] prefix = codec.subkeyPrefix(key, m.version());
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                long offset = parseOffset(it.key(), prefix.length);
                long index = offset / FRAGMENT_BYTES;
                if (offset >= 0 && index >= first && index <= last) {
                    v.visit(index, it.value());
                }
            }
        }
    }

    /** The value stored exactly at subkey, found by seeking it (seeks let other clients run in long loops). */
    private static byte[] lookup(TxnIterator it, byte[] subkey) {
        it.seek(subkey);
        return it.isValid() && Arrays.equals(it.key(), subkey) ? it.value() : null;
    }

    /** A fragment subkey's byte offset, -1 when it is not a decimal number. */
    private static long parseOffset(byte[] internalKey, int from) {
        int len = internalKey.length - from;
        if (len == 0 || len > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < internalKey.length; i++) {
            int d = internalKey[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * Kvrocks's ExpandBitmapSegment: grows a fragment to hold at least minBytes, doubling it (up to 1 KiB)
     * when that is enough, so that bits set one after another do not rewrite the fragment at every size.
     */
    static byte[] expand(byte[] fragment, int minBytes) {
        int old = fragment.length;
        if (minBytes <= old) {
            return fragment;
        }
        int size;
        if (minBytes > old * 2) {
            size = minBytes;
        } else if (old * 2 > FRAGMENT_BYTES) {
            size = FRAGMENT_BYTES;
        } else {
            size = old * 2;
        }
        return Arrays.copyOf(fragment, size);
    }

    // ---- GETBIT / SETBIT ------------------------------------------------------------------------

    public boolean getBit(byte[] key, long offset) throws StorageException, ErrorReply {
        BitString v = read(key);
        return v != null && offset >>> 3 < v.length() && ((v.byteAt(offset >>> 3) >> (7 - (offset & 7))) & 1) != 0;
    }

    /** SETBIT: the bit's previous value. A string stays a string; a missing key becomes a bitmap. */
    public boolean setBit(byte[] key, long offset, boolean on) throws StorageException, ErrorReply {
        Metadata existing = keyspace.metadata(key);
        if (existing instanceof StringMetadata s) {
            byte[] value = s.value();
            long needed = (offset >>> 3) + 1;
            if (value.length < needed) {
                value = Arrays.copyOf(value, (int) needed);
            } else {
                value = value.clone();
            }
            boolean old = Bits.msb(value, offset);
            Bits.setMsb(value, offset, on);
            keyspace.log(StringType.TYPE.code());
            keyspace.putMetadata(key, s.withValue(value));
            return old;
        }
        if (existing != null && existing.type() != TYPE) {
            throw ErrorReply.wrongType();
        }
        CollectionMetadata m = existing == null ? create(key) : (CollectionMetadata) existing;
        long index = offset / FRAGMENT_BITS;
        byte[] sk = fragmentKey(key, m.version(), index);
        byte[] fragment = existing == null ? null : txn.get(ColumnFamily.DEFAULT, sk);
        int byteInFragment = (int) ((offset >>> 3) % FRAGMENT_BYTES);
        fragment = expand(fragment == null ? new byte[0] : fragment.clone(), byteInFragment + 1);
        long bitInFragment = offset % FRAGMENT_BITS;
        boolean old = Bits.lsb(fragment, bitInFragment);
        Bits.setLsb(fragment, bitInFragment, on);
        log(BatchLogData.Command.SETBIT.arg(), BatchLogData.decimal(offset));
        txn.put(ColumnFamily.DEFAULT, sk, fragment);
        long size = Math.max(index * FRAGMENT_BYTES + byteInFragment + 1, m.size());
        if (size != m.size()) {
            keyspace.putMetadata(key, m.withSize(size));
        } else {
            txn.touch(key);
        }
        return old;
    }

    // ---- BITCOUNT / BITPOS ----------------------------------------------------------------------

    /**
     * BITCOUNT over start..end (bytes, or bits with bitMode; negative from the end), as Redis 7.0 counts it.
     * The caller has already answered 0 for a missing key and for start and end both negative with start > end.
     */
    public long count(BitString v, long startArg, long endArg, boolean bitMode) throws StorageException {
        long[] range = clamp(startArg, endArg, bitMode ? v.length() << 3 : v.length());
        long start = range[0];
        long end = range[1];
        if (start > end) {
            return 0;
        }
        if (!bitMode) {
            return v.count(start, end);
        }
        // Count the whole bytes, then take off the bits of the first and last byte outside the range.
        int firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
        int lastMask = (1 << (7 - (end & 7))) - 1;
        long first = start >> 3;
        long last = end >> 3;
        long n = v.count(first, last);
        n -= Integer.bitCount(v.byteAt(first) & firstMask);
        n -= Integer.bitCount(v.byteAt(last) & lastMask);
        return n;
    }

    /**
     * Redis's bit commands' range rule (bitops.c): negative positions count from the end, then both are
     * raised to 0 and the end lowered to the last position; the range is empty when start > end.
     */
    private static long[] clamp(long start, long end, long total) {
        if (start < 0) {
            start = total + start;
        }
        if (end < 0) {
            end = total + end;
        }
        return new long[] {Math.max(start, 0), Math.min(Math.max(end, 0), total - 1)};
    }

    /** BITCOUNT of a whole value. */
    public long count(BitString v) throws StorageException {
        return v.length() == 0 ? 0 : v.count(0, v.length() - 1);
    }

    /**
     * BITPOS from start (null: the whole value) to end (null: not given) as Redis 7.0 answers it: the
     * first bit equal to bit in the range, -1 when there is none, except that a search for 0 without an
     * end finds the first bit after the value (as if it went on with zeros).
     */
    public long position(BitString v, boolean bit, Long start, Long end, boolean bitMode) throws StorageException {
        long from;
        long to;
        if (start == null) {
            from = 0;
            to = v.length() * 8 - 1;
        } else {
            long total = bitMode ? v.length() << 3 : v.length();
            long[] range = clamp(start, end != null ? end : total - 1, total);
            long s = range[0];
            long e = range[1];
            if (s > e) {
                return -1;
            }
            from = bitMode ? s : s << 3;
            to = bitMode ? e : (e << 3) + 7;
        }
        if (from > to) {
            return -1;
        }
        long found = v.firstBit(bit, from, to);
        if (found < 0 && !bit && end == null) {
            return to + 1;
        }
        return found;
    }

    // ---- BITOP ----------------------------------------------------------------------------------

    /**
     * BITOP: dest becomes a bitmap holding op over the sources (missing keys are empty strings), as long as
     * the longest; when every source is empty dest is deleted. Returns dest's length. Only fragments that
     * can hold a set bit are written (for NOT, all of them), as Kvrocks does.
     */
    public long bitop(BitOp op, byte[] opName, byte[] dest, List<byte[]> sourceKeys) throws StorageException, ErrorReply {
        List<BitString> sources = new ArrayList<>();
        boolean anyMissing = false;
        long maxLength = 0;
        for (byte[] k : sourceKeys) {
            BitString s = read(k);
            if (s == null) {
                anyMissing = true;
                continue;
            }
            sources.add(s);
            maxLength = Math.max(maxLength, s.length());
        }
        if (maxLength == 0) {
            // Kvrocks only deletes here; the log data says so, as DEL's does.
            keyspace.log(BatchLogData.NO_TYPE);
            keyspace.delete(dest);
            return 0;
        }
        long lastIndex = (maxLength - 1) / FRAGMENT_BYTES;
        BitSet indexes = new BitSet();
        if (op == BitOp.NOT) {
            indexes.set(0, (int) lastIndex + 1);
        } else if (op == BitOp.AND) {
            if (!anyMissing) {
                for (int i = 0; i < sources.size(); i++) {
                    BitSet present = new BitSet();
                    sources.get(i).markFragments(present);
                    if (i == 0) {
                        indexes.or(present);
                    } else {
                        indexes.and(present);
                    }
                }
            }
        } else {
            for (BitString s : sources) {
                s.markFragments(indexes);
            }
        }
        byte[][] logArgs = new byte[sourceKeys.size() + 2][];
        logArgs[0] = BatchLogData.Command.BITOP.arg();
        logArgs[1] = opName;
        for (int i = 0; i < sourceKeys.size(); i++) {
            logArgs[i + 2] = sourceKeys.get(i);
        }
        log(logArgs);
        CollectionMetadata m = create(dest);
        List<byte[][]> ready = new ArrayList<>();
        int index = indexes.nextSetBit(0);
        while (index >= 0) {
            try (FragmentReaders readers = new FragmentReaders(sources)) {
                while (index >= 0 && ready.size() < BITOP_CHUNK) {
                    byte[] result = combine(op, readers.fragments(index), index, maxLength);
                    if (result != null) {
                        ready.add(new byte[][] {fragmentKey(dest, m.version(), index), result});
                    }
                    index = indexes.nextSetBit(index + 1);
                }
            }
            for (byte[][] kv : ready) {
                txn.put(ColumnFamily.DEFAULT, kv[0], kv[1]);
            }
            ready.clear();
        }
        keyspace.putMetadata(dest, m.withSize(maxLength));
        return maxLength;
    }

    /**
     * One result fragment of BITOP from the sources' fragments at that index (null where a source has
     * none): as long as the longest of them (NOT: the whole fragment, up to the result's length); null
     * when nothing is to be written.
     */
    private static byte[] combine(BitOp op, byte[][] fragments, long index, long resultLength) {
        int length = 0;
        for (byte[] f : fragments) {
            if (f != null) {
                length = Math.max(length, f.length);
            } else if (op == BitOp.AND) {
                return null;
            }
        }
        if (op == BitOp.NOT) {
            length = (int) Math.min(FRAGMENT_BYTES, resultLength - index * FRAGMENT_BYTES);
        }
        if (length == 0) {
            return null;
        }
        byte[] out = new byte[length];
        for (int j = 0; j < length; j++) {
            int acc = byteOf(fragments[0], j);
            if (op == BitOp.NOT) {
                acc = ~acc;
            }
            for (int i = 1; i < fragments.length; i++) {
                int b = byteOf(fragments[i], j);
                acc = switch (op) {
                    case AND -> acc & b;
                    case OR -> acc | b;
                    case XOR -> acc ^ b;
                    case NOT -> acc;
                };
            }
            out[j] = (byte) acc;
        }
        return out;
    }

    private static int byteOf(byte[] fragment, int j) {
        return fragment == null || j >= fragment.length ? 0 : fragment[j] & 0xff;
    }

    /** Reads the BITOP sources' fragments index by index, in Kvrocks's order, with one iterator per bitmap. */
    private final class FragmentReaders implements AutoCloseable {
        private final List<BitString> sources;
        private final TxnIterator[] iterators;

        FragmentReaders(List<BitString> sources) {
            this.sources = sources;
            this.iterators = new TxnIterator[sources.size()];
            for (int i = 0; i < iterators.length; i++) {
                if (sources.get(i) instanceof Fragments) {
                    iterators[i] = txn.iterator(ColumnFamily.DEFAULT);
                }
            }
        }

        byte[][] fragments(long index) {
            byte[][] out = new byte[iterators.length][];
            for (int i = 0; i < iterators.length; i++) {
                BitString s = sources.get(i);
                if (s instanceof Fragments f) {
                    out[i] = lookup(iterators[i], fragmentKey(f.key, f.meta.version(), index));
                } else {
                    out[i] = ((StringBits) s).fragment(index);
                }
            }
            return out;
        }

        @Override
        public void close() {
            for (TxnIterator it : iterators) {
                if (it != null) {
                    it.close();
                }
            }
        }
    }

    // ---- BITFIELD -------------------------------------------------------------------------------

    /**
     * BITFIELD and BITFIELD_RO: runs the operations in order and returns each one's reply (null where
     * OVERFLOW FAIL refused a write). With any write, the value first grows to hold the furthest field
     * written, as Redis grows its string; a missing key becomes a bitmap. Operations are validated by
     * the caller.
     */
    public List<Long> bitfield(byte[] key, List<BitField.Operation> ops) throws StorageException, ErrorReply {
        long highestWrite = -1;
        for (BitField.Operation op : ops) {
            if (op.writes()) {
                highestWrite = Math.max(highestWrite, op.offset() + op.bits() - 1);
            }
        }
        List<Long> replies = new ArrayList<>(ops.size());
        if (highestWrite < 0) {
            BitString v = read(key);
            for (BitField.Operation op : ops) {
                long firstByte = op.offset() >>> 3;
                byte[] buf = v == null ? new byte[fieldBytes(op)] : v.read(firstByte, fieldBytes(op));
                replies.add(BitField.get(buf, op.offset() - (firstByte << 3), op));
            }
            return replies;
        }
        Metadata existing = keyspace.metadata(key);
        FieldStore store;
        if (existing instanceof StringMetadata s) {
            store = new StringFieldStore(key, s, highestWrite);
        } else if (existing == null) {
            store = new BitmapFieldStore(key, create(key), true, highestWrite);
        } else if (existing.type() == TYPE) {
            store = new BitmapFieldStore(key, (CollectionMetadata) existing, false, highestWrite);
        } else {
            throw ErrorReply.wrongType();
        }
        for (BitField.Operation op : ops) {
            long firstByte = op.offset() >>> 3;
            byte[] buf = store.read(firstByte, fieldBytes(op));
            long relative = op.offset() - (firstByte << 3);
            long old = BitField.get(buf, relative, op);
            if (!op.writes()) {
                replies.add(old);
                continue;
            }
            BitField.Outcome outcome = BitField.apply(op, old);
            replies.add(outcome.reply());
            if (!outcome.refused()) {
                BitField.set(buf, relative, op.bits(), outcome.newValue());
                store.write(firstByte, buf);
            }
        }
        store.flush(ops);
        return replies;
    }

    /** How many bytes hold the field (at most 9). */
    private static int fieldBytes(BitField.Operation op) {
        return (int) (((op.offset() + op.bits() - 1) >>> 3) - (op.offset() >>> 3) + 1);
    }

    /** Where BITFIELD reads and writes its fields: a string's bytes or a bitmap's fragments. */
    private interface FieldStore {
        byte[] read(long from, int len) throws StorageException;

        void write(long from, byte[] bytes) throws StorageException;

        void flush(List<BitField.Operation> ops) throws StorageException;
    }

    /** A string value, grown up front to hold the furthest field written, and stored whole at the end. */
    private final class StringFieldStore implements FieldStore {
        private final byte[] key;
        private final StringMetadata meta;
        private final byte[] value;

        StringFieldStore(byte[] key, StringMetadata meta, long highestWrite) {
            this.key = key;
            this.meta = meta;
            long needed = highestWrite < 0 ? 0 : (highestWrite >>> 3) + 1;
            this.value = meta.value().length < needed ? Arrays.copyOf(meta.value(), (int) needed) : meta.value().clone();
        }

        @Override
        public byte[] read(long from, int len) {
            return new StringBits(value).read(from, len);
        }

        @Override
        public void write(long from, byte[] bytes) {
            System.arraycopy(bytes, 0, value, (int) from, bytes.length);
        }

        @Override
        public void flush(List<BitField.Operation> ops) throws StorageException {
            keyspace.log(StringType.TYPE.code());
            keyspace.putMetadata(key, meta.withValue(value));
        }
    }

    /**
     * A bitmap's fragments, cached as they are read and written (Kvrocks's SegmentCacheStore); the ones
     * written are put back at the end, with the size grown to hold the furthest field written.
     */
    private final class BitmapFieldStore implements FieldStore {
        private final byte[] key;
        private final CollectionMetadata meta;
        private final boolean created;
        private final long highestWrite;
        private final TreeMap<Long, byte[]> cache = new TreeMap<>();
        private final Set<Long> dirty = new HashSet<>();

        BitmapFieldStore(byte[] key, CollectionMetadata meta, boolean created, long highestWrite) {
            this.key = key;
            this.meta = meta;
            this.created = created;
            this.highestWrite = highestWrite;
        }

        private byte[] fragment(long index) throws StorageException {
            byte[] f = cache.get(index);
            if (f == null) {
                byte[] stored = created ? null : txn.get(ColumnFamily.DEFAULT, fragmentKey(key, meta.version(), index));
                f = stored == null ? new byte[0] : stored;
                cache.put(index, f);
            }
            return f;
        }

        @Override
        public byte[] read(long from, int len) throws StorageException {
            byte[] out = new byte[len];
            for (int i = 0; i < len; i++) {
                long at = from + i;
                byte[] f = fragment(at / FRAGMENT_BYTES);
                int in = (int) (at % FRAGMENT_BYTES);
                out[i] = in < f.length ? Bits.reverse(f[in]) : 0;
            }
            return out;
        }

        @Override
        public void write(long from, byte[] bytes) throws StorageException {
            for (int i = 0; i < bytes.length; i++) {
                long at = from + i;
                long index = at / FRAGMENT_BYTES;
                int in = (int) (at % FRAGMENT_BYTES);
                byte[] f = fragment(index);
                if (f.length <= in) {
                    f = Arrays.copyOf(f, in + 1);
                } else if (!dirty.contains(index)) {
                    f = f.clone();
                }
                f[in] = Bits.reverse(bytes[i]);
                cache.put(index, f);
                dirty.add(index);
            }
        }

        @Override
        public void flush(List<BitField.Operation> ops) throws StorageException {
            log(bitfieldLogArgs(ops));
            for (var e : cache.entrySet()) {
                if (dirty.contains(e.getKey())) {
                    txn.put(ColumnFamily.DEFAULT, fragmentKey(key, meta.version(), e.getKey()), e.getValue());
                }
            }
            long size = Math.max(meta.size(), (highestWrite >>> 3) + 1);
            if (created || size != meta.size()) {
                keyspace.putMetadata(key, meta.withSize(size));
            } else {
                txn.touch(key);
            }
        }
    }

    /**
     * Kvrocks's log data for a bitmap BITFIELD (Bitmap::bitfieldWriteAheadLog): the command code, then each
     * SET and INCRBY with its type, absolute offset and value, an OVERFLOW before the first one under a
     * rule other than the one before (WRAP at first).
     */
    static byte[][] bitfieldLogArgs(List<BitField.Operation> ops) {
        List<byte[]> args = new ArrayList<>();
        args.add(BatchLogData.Command.BITFIELD.arg());
        BitField.Overflow current = BitField.Overflow.WRAP;
        for (BitField.Operation op : ops) {
            if (!op.writes()) {
                continue;
            }
            if (op.overflow() != current) {
                current = op.overflow();
                args.add(Bytes.of("OVERFLOW"));
                args.add(Bytes.of(current.name()));
            }
            args.add(Bytes.of(op.kind().name()));
            args.add(Bytes.of(op.typeName()));
            args.add(BatchLogData.decimal(op.offset()));
            boolean unsignedSet = op.kind() == BitField.Kind.SET && !op.signed();
            args.add(Bytes.of(unsignedSet ? Long.toUnsignedString(op.value()) : Long.toString(op.value())));
        }
        return args.toArray(new byte[0][]);
    }

    // ---- GET on a bitmap ------------------------------------------------------------------------

    /**
     * The bitmap's bits as the string Redis would hold (what Kvrocks's GET answers for a bitmap), refused
     * past maxBytes (max-bitmap-to-string-mb).
     */
    public byte[] asString(byte[] key, CollectionMetadata m, long maxBytes) throws StorageException, ErrorReply {
        if (m.size() > maxBytes) {
            throw new ErrorReply(TOO_BIG_FOR_STRING);
        }
        return new Fragments(key, m).read(0, (int) m.size());
    }
}
