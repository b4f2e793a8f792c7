package dev.basalt.types;

import dev.basalt.storage.KeyCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where one version of a stream keeps its parts in the {@code stream} column family, and how each value
 * is encoded, as Kvrocks's src/types/redis_stream.cc writes them. Every subkey starts with the
 * collection prefix {@code [ns][key_len u32][key][version u64]}, followed by:
 * <ul>
 * <li>an entry: {@code ms u64, seq u64}; the value is each field and value as a varint32 length and its
 * bytes (EncodeStreamEntryValue);
 * <li>a consumer group: {@code UINT64_MAX, 0x01, name_len u64, name}; the value is consumers u64,
 * pending u64, last-delivered ms u64 and seq u64, entries-read i64 (-1 = unknown), lag u64;
 * <li>a consumer: {@code UINT64_MAX, 0x02, group_len u64, group, name_len u64, name}; the value is
 * pending u64, last-attempted-interaction ms u64, last-successful-interaction ms u64;
 * <li>a pending entry of a group: {@code UINT64_MAX, 0x03, group_len u64, group, ms u64, seq u64};
 * the value is last-delivery ms u64, delivery count u64, consumer_len u64, consumer.
 * </ul>
 * All integers big-endian, so entries sort by ID and come before everything else of the stream.
 */
public final class StreamLayout {
    static final byte GROUP = 1;
    static final byte CONSUMER = 2;
    static final byte PENDING = 3;

    private final byte[] prefix;

    public StreamLayout(KeyCodec codec, byte[] key, long version) {
        this.prefix = codec.subkeyPrefix(key, version);
    }

    /** Every subkey of this stream version starts with it. */
    public byte[] prefix() {
        return prefix;
    }

    public byte[] entry(StreamId id) {
        return ByteBuffer.allocate(prefix.length + 16).put(prefix).putLong(id.ms()).putLong(id.seq()).array();
    }

    /** True when the internal key is one of this stream's entries (not a group, consumer or pending entry). */
    public boolean isEntry(byte[] internalKey) {
        return internalKey.length == prefix.length + 16 && Arrays.equals(internalKey, 0, prefix.length, prefix, 0,
                prefix.length) && ByteBuffer.wrap(internalKey, prefix.length, 8).getLong() != -1L;
    }

    /** The ID of an entry key. */
    public StreamId entryId(byte[] internalKey) {
        return StreamId.read(internalKey, prefix.length);
    }

    /** Entries sort before this key: the start of the groups, consumers and pending entries. */
    public byte[] entriesEnd() {
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(-1L).array();
    }

    private ByteBuffer meta(byte kind, int more) {
        return ByteBuffer.allocate(prefix.length + 9 + more).put(prefix).putLong(-1L).put(kind);
    }

    /** Every group's subkey starts with it. */
    public byte[] groupsPrefix() {
        return meta(GROUP, 0).array();
    }

    public byte[] group(byte[] name) {
        return meta(GROUP, 8 + name.length).putLong(name.length).put(name).array();
    }

    /** The group name of a group subkey. */
    public byte[] groupName(byte[] internalKey) {
        int at = prefix.length + 9;
        int len = (int) ByteBuffer.wrap(internalKey, at, 8).getLong();
        return Arrays.copyOfRange(internalKey, at + 8, at + 8 + len);
    }

    /** Every consumer of the group has a subkey starting with it. */
    public byte[] consumersPrefix(byte[] group) {
        return meta(CONSUMER, 8 + group.length).putLong(group.length).put(group).array();
    }

    public byte[] consumer(byte[] group, byte[] name) {
        return meta(CONSUMER, 16 + group.length + name.length).putLong(group.length).put(group)
                .putLong(name.length).put(name).array();
    }

    /** The consumer name of a consumer subkey of the group. */
    public byte[] consumerName(byte[] internalKey, byte[] group) {
        int at = prefix.length + 9 + 8 + group.length;
        int len = (int) ByteBuffer.wrap(internalKey, at, 8).getLong();
        return Arrays.copyOfRange(internalKey, at + 8, at + 8 + len);
    }

    /** Every pending entry of the group has a subkey starting with it, followed by the entry ID. */
    public byte[] pendingPrefix(byte[] group) {
        return meta(PENDING, 8 + group.length).putLong(group.length).put(group).array();
    }

    public byte[] pending(byte[] group, StreamId id) {
        return meta(PENDING, 8 + group.length + 16).putLong(group.length).put(group).putLong(id.ms())
                .putLong(id.seq()).array();
    }

    /** The entry ID of a pending-entry subkey of the group. */
    public StreamId pendingId(byte[] internalKey, byte[] group) {
        return StreamId.read(internalKey, prefix.length + 9 + 8 + group.length);
    }

    // ---- values ---------------------------------------------------------------------------------

    /** An entry's value: each field and value as a varint32 length and its bytes. */
    public static byte[] encodeFields(List<byte[]> fieldsAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fieldsAndValues) {
            int n = f.length;
            while ((n & ~0x7f) != 0) {
                out.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.write(n);
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** The fields and values of an entry's value, alternating. */
    public static List<byte[]> decodeFields(byte[] value) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < value.length) {
            int len = 0;
            for (int shift = 0; ; shift += 7) {
                if (i >= value.length || shift > 28) {
                    throw new IllegalStateException("failed to decode stream entry value");
                }
                int b = value[i++] & 0xff;
                len |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (len < 0 || len > value.length - i) {
                throw new IllegalStateException("failed to decode stream entry value");
            }
            out.add(Arrays.copyOfRange(value, i, i + len));
            i += len;
        }
        return out;
    }

    /** A consumer group's value. entriesRead is -1 when unknown (Redis's SCG_INVALID_ENTRIES_READ). */
    public record GroupValue(long consumers, long pending, StreamId lastDeliveredId, long entriesRead, long lag) {
        public static GroupValue decode(byte[] v) {
            ByteBuffer in = ByteBuffer.wrap(v);
            return new GroupValue(in.getLong(), in.getLong(), new StreamId(in.getLong(), in.getLong()), in.getLong(),
                    in.getLong());
        }

        public byte[] encode() {
            return ByteBuffer.allocate(48).putLong(consumers).putLong(pending).putLong(lastDeliveredId.ms())
                    .putLong(lastDeliveredId.seq()).putLong(entriesRead).putLong(lag).array();
        }

        GroupValue withLastDelivered(StreamId id, long read) {
            return new GroupValue(consumers, pending, id, read, lag);
        }
    }

    /**
     * A consumer's value: its pending count and two times in Unix ms. Redis 7.0's seen-time (every
     * read or claim, successful or not) is Kvrocks's last attempted interaction; the last successful one
     * is when the consumer last got entries.
     */
    public record ConsumerValue(long pending, long seenTime, long activeTime) {
        public static ConsumerValue decode(byte[] v) {
            ByteBuffer in = ByteBuffer.wrap(v);
            return new ConsumerValue(in.getLong(), in.getLong(), in.getLong());
        }

        public byte[] encode() {
            return ByteBuffer.allocate(24).putLong(pending).putLong(seenTime).putLong(activeTime).array();
        }
    }

    /** A pending entry's value: when it was last delivered, how many times, and to which consumer. */
    public record PendingValue(long deliveryTime, long deliveryCount, byte[] consumer) {
        public static PendingValue decode(byte[] v) {
            ByteBuffer in = ByteBuffer.wrap(v);
            long time = in.getLong();
            long count = in.getLong();
            int len = (int) in.getLong();
            return new PendingValue(time, count, Arrays.copyOfRange(v, 24, 24 + len));
        }

        public byte[] encode() {
            return ByteBuffer.allocate(24 + consumer.length).putLong(deliveryTime).putLong(deliveryCount)
                    .putLong(consumer.length).put(consumer).array();
        }
    }
}
