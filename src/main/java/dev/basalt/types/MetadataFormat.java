package dev.basalt.types;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What every metadata value starts with, in Kvrocks's encoding: {@code flags u8} (bit 7 = 64-bit
 * encoding, low 4 bits = type code), {@code expire u64} (Unix ms, 0 = none); versioned types go on
 * with {@code version u64, size u64}. Legacy 32-bit values (expire in seconds as u32, size as u32) are
 * read, never written. The rest belongs to the type's own layout.
 */
public final class MetadataFormat {
    static final int FLAG_64BIT = 0x80;
    private static final int TYPE_MASK = 0x0f;
    private static final int HEADER = 1 + 8;

    private MetadataFormat() {
    }

    /** Reads the fields after the shared header, in order, for a type's layout. */
    public static final class Reader {
        private final DataType<?> type;
        private final boolean wide;
        private final long expireAtMs;
        private final ByteBuffer in;

        private Reader(DataType<?> type, boolean wide, long expireAtMs, ByteBuffer in) {
            this.type = type;
            this.wide = wide;
            this.expireAtMs = expireAtMs;
            this.in = in;
        }

        public DataType<?> type() {
            return type;
        }

        public long expireAtMs() {
            return expireAtMs;
        }

        public long u64() {
            return in.getLong();
        }

        /** An element count: u64, or u32 in the legacy encoding. */
        public long size() {
            return wide ? in.getLong() : in.getInt() & 0xffffffffL;
        }

        /** Whatever is left. */
        public byte[] rest() {
            return Arrays.copyOfRange(in.array(), in.position(), in.limit());
        }
    }

    static Metadata decode(byte[] raw) {
        if (raw.length < 1) {
            throw new IllegalArgumentException("empty metadata");
        }
        int flags = raw[0] & 0xff;
        DataType<?> type = DataTypes.forCode(flags & TYPE_MASK);
        boolean wide = (flags & FLAG_64BIT) != 0;
        ByteBuffer in = ByteBuffer.wrap(raw, 1, raw.length - 1);
        long expireAtMs = wide ? in.getLong() : (in.getInt() & 0xffffffffL) * 1000L;
        return type.decode(new Reader(type, wide, expireAtMs, in));
    }

    /** A buffer for m's encoding holding the header, with room for bodyLength more bytes. */
    public static ByteBuffer start(Metadata m, int bodyLength) {
        return ByteBuffer.allocate(HEADER + bodyLength).put((byte) (FLAG_64BIT | m.type().code())).putLong(m.expireAtMs());
    }

    /** As {@link #start}, followed by the version and size; room for fieldsLength more bytes. */
    public static ByteBuffer startVersioned(VersionedMetadata m, int fieldsLength) {
        return start(m, 16 + fieldsLength).putLong(m.version()).putLong(m.size());
    }
}
