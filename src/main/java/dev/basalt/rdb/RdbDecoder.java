package dev.basalt.rdb;

import dev.basalt.rdb.RdbValue.HashValue;
import dev.basalt.rdb.RdbValue.ListValue;
import dev.basalt.rdb.RdbValue.ModuleValue;
import dev.basalt.rdb.RdbValue.SetValue;
import dev.basalt.rdb.RdbValue.StreamValue;
import dev.basalt.rdb.RdbValue.StringValue;
import dev.basalt.rdb.RdbValue.ZSetValue;
import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamImage;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one value of a given RDB type (rdbLoadObject): every encoding Redis up to 7.2 writes, from the
 * plain ones to zipmaps, ziplists, intsets, quicklists and listpacks. Sets, hashes and sorted sets with
 * a repeated element are refused, as Redis refuses them; an empty collection is returned as read (the
 * caller decides: RESTORE refuses it, RDB LOAD skips it).
 */
final class RdbDecoder {
    private static final int SMALL = 1024;

    private RdbDecoder() {
    }

    static RdbValue read(RdbReader r, int type) throws IOException, RdbFormatException {
        return switch (type) {
            case RdbFormat.STRING -> new StringValue(r.readString());
            case RdbFormat.LIST, RdbFormat.SET -> {
                int n = r.readCount();
                List<byte[]> out = new ArrayList<>(Math.min(n, SMALL));
                for (int i = 0; i < n; i++) {
                    out.add(r.readString());
                }
                yield type == RdbFormat.LIST ? new ListValue(out) : set(out);
            }
            case RdbFormat.ZSET, RdbFormat.ZSET_2 -> {
                int n = r.readCount();
                List<byte[]> members = new ArrayList<>(Math.min(n, SMALL));
                double[] scores = new double[Math.min(n, SMALL)];
                for (int i = 0; i < n; i++) {
                    members.add(r.readString());
                    if (i == scores.length) {
                        scores = Arrays.copyOf(scores, Math.min(n, scores.length * 2));
                    }
                    scores[i] = type == RdbFormat.ZSET ? r.readStringDouble() : r.readBinaryDouble();
                    if (Double.isNaN(scores[i])) {
                        throw new RdbFormatException("sorted set score is NaN");
                    }
                }
                yield zset(members, scores);
            }
            case RdbFormat.HASH -> {
                int n = r.readCount();
                List<byte[]> out = new ArrayList<>(Math.min(n, SMALL) * 2);
                for (int i = 0; i < n; i++) {
                    out.add(r.readString());
                    out.add(r.readString());
                }
                yield hash(out);
            }
            case RdbFormat.HASH_ZIPMAP -> hash(Packed.zipmap(r.readString()));
            case RdbFormat.LIST_ZIPLIST -> new ListValue(Packed.ziplist(r.readString()));
            case RdbFormat.SET_INTSET -> set(Packed.intset(r.readString()));
            case RdbFormat.SET_LISTPACK -> set(Packed.listpack(r.readString()));
            case RdbFormat.ZSET_ZIPLIST -> zsetPairs(Packed.ziplist(r.readString()));
            case RdbFormat.ZSET_LISTPACK -> zsetPairs(Packed.listpack(r.readString()));
            case RdbFormat.HASH_ZIPLIST -> hash(Packed.ziplist(r.readString()));
            case RdbFormat.HASH_LISTPACK -> hash(Packed.listpack(r.readString()));
            case RdbFormat.LIST_QUICKLIST -> {
                int nodes = r.readCount();
                List<byte[]> out = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    out.addAll(Packed.ziplist(r.readString()));
                }
                yield new ListValue(out);
            }
            case RdbFormat.LIST_QUICKLIST_2 -> {
                int nodes = r.readCount();
                List<byte[]> out = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    long container = r.readLength();
                    byte[] data = r.readString();
                    if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                        out.add(data);
                    } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                        out.addAll(Packed.listpack(data));
                    } else {
                        throw new RdbFormatException("unknown quicklist node container " + container);
                    }
                }
                yield new ListValue(out);
            }
            case RdbFormat.STREAM_LISTPACKS, RdbFormat.STREAM_LISTPACKS_2, RdbFormat.STREAM_LISTPACKS_3 ->
                    stream(r, type);
            case RdbFormat.MODULE_2 -> skipModuleValue(r);
            case RdbFormat.MODULE_PRE_GA -> throw new RdbFormatException(
                    "a module value in the pre-release format (RDB_TYPE_MODULE) cannot be read or skipped");
            default -> throw new RdbFormatException("unknown RDB object type " + type);
        };
    }

    /** True for a collection with no elements, which Redis does not load (streams may be empty). */
    static boolean isEmpty(RdbValue v) {
        return switch (v) {
            case ListValue l -> l.elements().isEmpty();
            case SetValue s -> s.members().isEmpty();
            case HashValue h -> h.fieldsAndValues().isEmpty();
            case ZSetValue z -> z.members().isEmpty();
            default -> false;
        };
    }

    private static SetValue set(List<byte[]> members) throws RdbFormatException {
        requireDistinct(members, 1, "set member");
        return new SetValue(members);
    }

    /**
     * Refuses a collection that names an element twice (every step-th item of items), as Redis does. It
     * sorts references rather than hashing copies: a value's check costs 8 bytes per element.
     */
    private static void requireDistinct(List<byte[]> items, int step, String what) throws RdbFormatException {
        byte[][] sorted = new byte[(items.size() + step - 1) / step][];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = items.get(i * step);
        }
        Arrays.sort(sorted, Bytes::compare);
        for (int i = 1; i < sorted.length; i++) {
            if (Arrays.equals(sorted[i - 1], sorted[i])) {
                throw new RdbFormatException("duplicate " + what);
            }
        }
    }

    private static HashValue hash(List<byte[]> fieldsAndValues) throws RdbFormatException {
        if (fieldsAndValues.size() % 2 != 0) {
            throw new RdbFormatException("hash with a field and no value");
        }
        requireDistinct(fieldsAndValues, 2, "hash field");
        return new HashValue(fieldsAndValues);
    }

    private static ZSetValue zsetPairs(List<byte[]> pairs) throws RdbFormatException {
        if (pairs.size() % 2 != 0) {
            throw new RdbFormatException("sorted set member without a score");
        }
        List<byte[]> members = new ArrayList<>(pairs.size() / 2);
        double[] scores = new double[pairs.size() / 2];
        for (int i = 0; i < pairs.size(); i += 2) {
            members.add(pairs.get(i));
            scores[i / 2] = RdbNumbers.parseDouble(pairs.get(i + 1));
            if (Double.isNaN(scores[i / 2])) {
                throw new RdbFormatException("sorted set score is NaN");
            }
        }
        return zset(members, scores);
    }

    private static ZSetValue zset(List<byte[]> members, double[] scores) throws RdbFormatException {
        requireDistinct(members, 1, "sorted set member");
        return new ZSetValue(members, scores.length == members.size() ? scores
                : Arrays.copyOf(scores, members.size()));
    }

    // ---- streams (RDB_TYPE_STREAM_LISTPACKS, _2 and _3) -------------------------------------------

    private static StreamId rawId(byte[] b) throws RdbFormatException {
        if (b.length != 16) {
            throw new RdbFormatException("stream ID is not 16 bytes");
        }
        return new StreamId(RdbReader.bigEndian(b, 0, 8), RdbReader.bigEndian(b, 8, 8));
    }

    private static StreamValue stream(RdbReader r, int type) throws IOException, RdbFormatException {
        long nodes = r.readLength();
        List<StreamImage.Entry> entries = new ArrayList<>();
        StreamId previous = null;
        for (long n = 0; n < nodes; n++) {
            StreamId master = rawId(r.readString());
            List<byte[]> lp = Packed.listpack(r.readString());
            if (lp.isEmpty()) {
                throw new RdbFormatException("empty listpack inside a stream");
            }
            for (StreamImage.Entry e : nodeEntries(master, lp)) {
                if (previous != null && e.id().compareTo(previous) <= 0) {
                    throw new RdbFormatException("stream entries out of order");
                }
                previous = e.id();
                entries.add(e);
            }
        }
        long length = r.readLength();
        StreamId lastId = new StreamId(r.readLength(), r.readLength());
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = length;
        if (type >= RdbFormat.STREAM_LISTPACKS_2) {
            r.readLength(); // first ID: Basalt takes it from the first entry
            r.readLength();
            maxDeleted = new StreamId(r.readLength(), r.readLength());
            entriesAdded = r.readLength();
        }
        if (length != entries.size()) {
            throw new RdbFormatException("stream length " + length + " but " + entries.size() + " entries");
        }
        if (previous != null && previous.compareTo(lastId) > 0) {
            throw new RdbFormatException("stream entry after the last generated ID");
        }
        long groupCount = r.readLength();
        List<StreamImage.Group> groups = new ArrayList<>();
        Set<ByteKey> groupNames = new HashSet<>();
        for (long g = 0; g < groupCount; g++) {
            byte[] name = r.readString();
            if (!groupNames.add(new ByteKey(name))) {
                throw new RdbFormatException("duplicate consumer group");
            }
            StreamId groupLast = new StreamId(r.readLength(), r.readLength());
            long entriesRead = type >= RdbFormat.STREAM_LISTPACKS_2 ? r.readLength()
                    : entriesReadBefore7(groupLast, entries, lastId);
            long pelSize = r.readLength();
            Map<StreamId, long[]> pel = new LinkedHashMap<>();
            for (long i = 0; i < pelSize; i++) {
                StreamId id = rawId(r.readBytes(16));
                long time = r.readMillis();
                long count = r.readLength();
                if (pel.put(id, new long[] {time, count}) != null) {
                    throw new RdbFormatException("duplicate pending entry in a consumer group");
                }
            }
            Map<StreamId, byte[]> owners = new HashMap<>();
            List<StreamImage.Consumer> consumers = new ArrayList<>();
            Set<ByteKey> consumerNames = new HashSet<>();
            long consumerCount = r.readLength();
            for (long c = 0; c < consumerCount; c++) {
                byte[] cname = r.readString();
                if (!consumerNames.add(new ByteKey(cname))) {
                    throw new RdbFormatException("duplicate stream consumer");
                }
                long seen = r.readMillis();
                if (type >= RdbFormat.STREAM_LISTPACKS_3) {
                    r.readMillis(); // active time (Redis 7.2): Basalt keeps Redis 7.0's seen time only
                }
                long own = r.readLength();
                for (long i = 0; i < own; i++) {
                    StreamId id = rawId(r.readBytes(16));
                    if (!pel.containsKey(id) || owners.put(id, cname) != null) {
                        throw new RdbFormatException("consumer pending entry not in its group's pending list");
                    }
                }
                consumers.add(new StreamImage.Consumer(cname, seen));
            }
            List<StreamImage.Pending> pending = new ArrayList<>(pel.size());
            for (Map.Entry<StreamId, long[]> e : pel.entrySet()) {
                byte[] owner = owners.get(e.getKey());
                if (owner == null) {
                    throw new RdbFormatException("pending entry without a consumer");
                }
                pending.add(new StreamImage.Pending(e.getKey(), owner, e.getValue()[0], e.getValue()[1]));
            }
            pending.sort((a, b) -> a.id().compareTo(b.id()));
            groups.add(new StreamImage.Group(name, groupLast, entriesRead, pending, consumers));
        }
        return new StreamValue(new StreamImage(entries, lastId, maxDeleted, entriesAdded, groups));
    }

    /**
     * A group's read counter in a stream saved before Redis 7.0, which had none: as Redis 7.0 estimates
     * it on load (streamEstimateDistanceFromFirstEverEntry, with entries-added = length and no deletions
     * known), else unknown.
     */
    private static long entriesReadBefore7(StreamId groupLast, List<StreamImage.Entry> entries, StreamId lastId) {
        long added = entries.size();
        if (added == 0) {
            return 0;
        }
        int cmpLast = groupLast.compareTo(lastId);
        if (cmpLast == 0) {
            return added;
        }
        if (cmpLast > 0) {
            return StreamGroups.UNKNOWN;
        }
        int cmpFirst = groupLast.compareTo(entries.get(0).id());
        if (cmpFirst < 0) {
            return 0;
        }
        return cmpFirst == 0 ? 1 : StreamGroups.UNKNOWN;
    }

    /**
     * The live entries of one node's listpack (t_stream.c's layout): a master entry (count, deleted,
     * its fields, a 0 terminator), then per entry its flags, ID deltas, its fields (or only values when
     * it has the master's), and lp-count. Deleted entries are skipped.
     */
    private static List<StreamImage.Entry> nodeEntries(StreamId master, List<byte[]> lp) throws RdbFormatException {
        try {
            int i = 0;
            i += 2; // count, deleted
            int masterFieldCount = (int) RdbNumbers.parseLong(lp.get(i++));
            if (masterFieldCount < 0 || masterFieldCount > lp.size()) {
                throw new RdbFormatException("bad stream master entry");
            }
            List<byte[]> masterFields = lp.subList(i, i + masterFieldCount);
            i += masterFieldCount;
            i++; // master terminator
            List<StreamImage.Entry> out = new ArrayList<>();
            while (i < lp.size()) {
                long flags = RdbNumbers.parseLong(lp.get(i++));
                long ms = master.ms() + RdbNumbers.parseLong(lp.get(i++));
                long seq = master.seq() + RdbNumbers.parseLong(lp.get(i++));
                List<byte[]> fv = new ArrayList<>();
                if ((flags & RdbFormat.STREAM_ITEM_SAMEFIELDS) != 0) {
                    for (int f = 0; f < masterFieldCount; f++) {
                        fv.add(masterFields.get(f));
                        fv.add(lp.get(i++));
                    }
                } else {
                    long fields = RdbNumbers.parseLong(lp.get(i++));
                    if (fields < 0 || fields > lp.size()) {
                        throw new RdbFormatException("bad stream entry");
                    }
                    for (long f = 0; f < fields * 2; f++) {
                        fv.add(lp.get(i++));
                    }
                }
                i++; // lp-count
                if (i > lp.size()) {
                    throw new RdbFormatException("stream entry runs past its listpack");
                }
                if ((flags & RdbFormat.STREAM_ITEM_DELETED) == 0) {
                    out.add(new StreamImage.Entry(new StreamId(ms, seq), fv));
                }
            }
            return out;
        } catch (IndexOutOfBoundsException e) {
            throw new RdbFormatException("stream entry runs past its listpack");
        }
    }

    // ---- module values (RDB_TYPE_MODULE_2) --------------------------------------------------------

    private static final String MODULE_NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** A module type's 9-character name from its 64-bit ID (54 bits of name, 10 of encoding version). */
    static String moduleTypeName(long id) {
        StringBuilder sb = new StringBuilder(9);
        long nameBits = id >>> 10;
        for (int i = 8; i >= 0; i--) {
            sb.append(MODULE_NAME_CHARS.charAt((int) ((nameBits >>> (6 * i)) & 63)));
        }
        return sb.toString();
    }

    /** Reads past a module value (its opcodes up to EOF), keeping only its type's name. */
    static ModuleValue skipModuleValue(RdbReader r) throws IOException, RdbFormatException {
        String name = moduleTypeName(r.readLength());
        skipModuleOpcodes(r);
        return new ModuleValue(name);
    }

    static void skipModuleOpcodes(RdbReader r) throws IOException, RdbFormatException {
        while (true) {
            long opcode = r.readLength();
            switch ((int) opcode) {
                case RdbFormat.MODULE_OPCODE_EOF -> {
                    return;
                }
                case RdbFormat.MODULE_OPCODE_SINT, RdbFormat.MODULE_OPCODE_UINT -> r.readLength();
                case RdbFormat.MODULE_OPCODE_FLOAT -> r.skip(4);
                case RdbFormat.MODULE_OPCODE_DOUBLE -> r.skip(8);
                case RdbFormat.MODULE_OPCODE_STRING -> r.readString();
                default -> throw new RdbFormatException("unknown module opcode " + opcode);
            }
        }
    }
}
