package dev.basalt.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value of a metadata key, in Kvrocks's 64-bit encoding: {@code flags u8} (bit 7 = 64-bit
 * encoding, low 4 bits = type), {@code expire u64} (Unix ms, 0 = none); then for strings the
 * payload, for collections {@code version u64, size u64} and type-specific fields (list: head,
 * tail). Legacy 32-bit values (expire in seconds, size u32) are read, never written.
 */
public final class Metadata {
    public static final int FLAG_64BIT = 0x80;
    public static final long LIST_INITIAL_INDEX = Long.MAX_VALUE; // UINT64_MAX / 2 = 2^63 - 1

    private final RedisType type;
    private long expireAtMs;
    private long version;
    private long size;
    private long head;
    private long tail;
    /** Type-specific fields Basalt does not interpret (stream, bloom...), kept as read. */
    private byte[] extra = new byte[0];
    /** String payload. */
    private byte[] payload;

    private Metadata(RedisType type) {
        this.type = type;
    }

    public static Metadata string(byte[] value, long expireAtMs) {
        Metadata m = new Metadata(RedisType.STRING);
        m.payload = value;
        m.expireAtMs = expireAtMs;
        return m;
    }

    /** A new, empty collection with a fresh version. */
    public static Metadata collection(RedisType type, long version) {
        if (type == RedisType.STRING) {
            throw new IllegalArgumentException("strings have no version");
        }
        Metadata m = new Metadata(type);
        m.version = version;
        if (type == RedisType.LIST) {
            m.head = LIST_INITIAL_INDEX;
            m.tail = LIST_INITIAL_INDEX;
        }
        return m;
    }

    public static Metadata decode(byte[] v) {
        if (v.length < 1) {
            throw new IllegalArgumentException("empty metadata");
        }
        int flags = v[0] & 0xff;
        RedisType type = RedisType.fromCode(flags & 0x0f);
        boolean wide = (flags & FLAG_64BIT) != 0;
        ByteBuffer b = ByteBuffer.wrap(v, 1, v.length - 1);
        Metadata m = new Metadata(type);
        m.expireAtMs = wide ? b.getLong() : (b.getInt() & 0xffffffffL) * 1000L;
        if (type == RedisType.STRING || type == RedisType.JSON) {
            m.payload = Arrays.copyOfRange(v, b.position(), v.length);
            return m;
        }
        m.version = b.getLong();
        m.size = wide ? b.getLong() : b.getInt() & 0xffffffffL;
        if (type == RedisType.LIST) {
            m.head = b.getLong();
            m.tail = b.getLong();
        }
        m.extra = Arrays.copyOfRange(v, b.position(), v.length);
        return m;
    }

    public byte[] encode() {
        if (type == RedisType.STRING || type == RedisType.JSON) {
            ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
            b.put((byte) (FLAG_64BIT | type.code())).putLong(expireAtMs).put(payload);
            return b.array();
        }
        int len = 1 + 8 + 8 + 8 + (type == RedisType.LIST ? 16 : 0) + extra.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put((byte) (FLAG_64BIT | type.code())).putLong(expireAtMs).putLong(version).putLong(size);
        if (type == RedisType.LIST) {
            b.putLong(head).putLong(tail);
        }
        b.put(extra);
        return b.array();
    }

    public RedisType type() {
        return type;
    }

    public long expireAtMs() {
        return expireAtMs;
    }

    public void setExpireAtMs(long ms) {
        this.expireAtMs = ms;
    }

    public boolean hasExpiry() {
        return expireAtMs > 0;
    }

    /**
     * Expired (Kvrocks and Redis: strictly past the expiry instant), or a collection left empty; strings,
     * streams, bloom filters and HyperLogLogs may be empty and still exist, as in Kvrocks.
     */
    public boolean isDead(long nowMs) {
        if (type.isCollection() && !type.emptyable() && size == 0) {
            return true;
        }
        return expireAtMs > 0 && expireAtMs < nowMs;
    }

    public long version() {
        return version;
    }

    public long size() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public long head() {
        return head;
    }

    public void setHead(long head) {
        this.head = head;
    }

    public long tail() {
        return tail;
    }

    public void setTail(long tail) {
        this.tail = tail;
    }

    public byte[] payload() {
        return payload;
    }

    public void setPayload(byte[] payload) {
        this.payload = payload;
    }
}
