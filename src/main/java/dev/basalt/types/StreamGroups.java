package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.types.StreamLayout.ConsumerValue;
import dev.basalt.types.StreamLayout.GroupValue;
import dev.basalt.types.StreamLayout.PendingValue;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * A stream's consumer groups, their consumers and pending entries, in Kvrocks's layout (see
 * {@link StreamLayout}) with Redis 7.0's semantics (t_stream.c): what XREADGROUP delivers and records,
 * XACK, XPENDING, XCLAIM, XAUTOCLAIM, XGROUP and the group part of XINFO, including the entries-read
 * counter and the lag computed from it.
 *
 * <p>The group's pending entries are one sorted range of subkeys, each naming its consumer; a
 * consumer's own pending entries are found by walking the group's (Kvrocks keeps no per-consumer index).
 * The pending counts of the group and of each consumer are kept in their values, so XPENDING's summary
 * and XINFO do not count. Names sort by their bytes in replies, as Redis's radix trees order them
 * (Kvrocks's subkeys put the name's length first).
 *
 * <p>Redis signals none of these writes to WATCH or blocked clients except XGROUP CREATE ... MKSTREAM
 * creating the stream and XGROUP DESTROY (which wakes blocked XREADGROUP clients with NOGROUP); the
 * stream's metadata is written accordingly.
 */
public final class StreamGroups {
    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
    public static final long UNKNOWN = -1;
    private static final int CHUNK = 1024;

    private final Txn txn;
    private final StreamType streams;

    public StreamGroups(Txn txn) {
        this.txn = txn;
        this.streams = new StreamType(txn);
    }

    public StreamType streams() {
        return streams;
    }

    /** A consumer group as read: its name and value. */
    public record Group(byte[] name, GroupValue value) {
    }

    /** A consumer as read. */
    public record Consumer(byte[] name, ConsumerValue value) {
    }

    /** An entry handed to a consumer: value null when the entry was deleted (XREADGROUP's history). */
    public record Delivered(StreamId id, byte[] value) {
    }

    /** A pending entry as XPENDING lists it. */
    public record Pending(StreamId id, byte[] consumer, long deliveryTime, long deliveries) {
    }

    private StreamLayout at(byte[] key, StreamMetadata m) {
        return streams.layout(key, m);
    }

    /** The group, or null when the stream has none of that name. */
    public Group group(byte[] key, StreamMetadata m, byte[] name) throws StorageException {
        byte[] v = txn.get(ColumnFamily.STREAM, at(key, m).group(name));
        return v == null ? null : new Group(name, GroupValue.decode(v));
    }

    /** The consumer, or null. */
    public Consumer consumer(byte[] key, StreamMetadata m, byte[] group, byte[] name) throws StorageException {
        byte[] v = txn.get(ColumnFamily.STREAM, at(key, m).consumer(group, name));
        return v == null ? null : new Consumer(name, ConsumerValue.decode(v));
    }

    private void putGroup(StreamLayout at, Group g) throws StorageException {
        streams.logOnce();
        txn.put(ColumnFamily.STREAM, at.group(g.name()), g.value().encode());
    }

    private void putConsumer(StreamLayout at, byte[] group, Consumer c) throws StorageException {
        streams.logOnce();
        txn.put(ColumnFamily.STREAM, at.consumer(group, c.name()), c.value().encode());
    }

    private void putPending(StreamLayout at, byte[] group, StreamId id, PendingValue p) throws StorageException {
        streams.logOnce();
        txn.put(ColumnFamily.STREAM, at.pending(group, id), p.encode());
    }

    private void deleteSubkey(byte[] subkey) throws StorageException {
        streams.logOnce();
        txn.delete(ColumnFamily.STREAM, subkey);
    }

    private PendingValue pending(StreamLayout at, byte[] group, StreamId id) throws StorageException {
        byte[] v = txn.get(ColumnFamily.STREAM, at.pending(group, id));
        return v == null ? null : PendingValue.decode(v);
    }

    // ---- XGROUP ---------------------------------------------------------------------------------

    /**
     * XGROUP CREATE: lastId null stands for "$" (the stream's last generated ID). m null means the key
     * does not exist and MKSTREAM was given: an empty stream is created first. False when the group
     * exists already.
     */
    public boolean createGroup(byte[] key, StreamMetadata m, byte[] name, StreamId lastId, long entriesRead)
            throws StorageException {
        if (m == null) {
            m = streams.createEmpty(key);
        } else if (group(key, m, name) != null) {
            return false;
        }
        StreamId id = lastId == null ? m.lastGeneratedId() : lastId;
        putGroup(at(key, m), new Group(name, new GroupValue(0, 0, id, entriesRead, 0)));
        streams.store(key, m.edit().groupCount(m.groupCount() + 1).done(), false);
        return true;
    }

    /** XGROUP SETID: lastId null stands for "$". */
    public void setGroupId(byte[] key, StreamMetadata m, Group g, StreamId lastId, long entriesRead)
            throws StorageException {
        StreamId id = lastId == null ? m.lastGeneratedId() : lastId;
        putGroup(at(key, m), new Group(g.name(), g.value().withLastDelivered(id, entriesRead)));
    }

    /** XGROUP DESTROY: the group, its consumers and its pending entries; false when there is no such group. */
    public boolean destroyGroup(byte[] key, StreamMetadata m, byte[] name) throws StorageException {
        StreamLayout at = at(key, m);
        if (group(key, m, name) == null) {
            return false;
        }
        deleteSubkey(at.group(name));
        deleteUnder(at.consumersPrefix(name), (k, v) -> true);
        deleteUnder(at.pendingPrefix(name), (k, v) -> true);
        // Signalled: clients blocked in XREADGROUP on this group learn it is gone.
        streams.store(key, m.edit().groupCount(Math.max(0, m.groupCount() - 1)).done(), true);
        return true;
    }

    /** XGROUP CREATECONSUMER: false when the consumer exists already. */
    public boolean createConsumer(byte[] key, StreamMetadata m, Group g, byte[] name) throws StorageException {
        if (consumer(key, m, g.name(), name) != null) {
            return false;
        }
        GroupChange change = new GroupChange(at(key, m), g);
        change.actor(name);
        change.write(false);
        return true;
    }

    /** XGROUP DELCONSUMER: returns how many entries the consumer had pending (now gone), 0 when there is no such consumer. */
    public long deleteConsumer(byte[] key, StreamMetadata m, Group g, byte[] name) throws StorageException {
        StreamLayout at = at(key, m);
        Consumer c = consumer(key, m, g.name(), name);
        if (c == null) {
            return 0;
        }
        long removed = deleteUnder(at.pendingPrefix(g.name()),
                (k, v) -> Arrays.equals(PendingValue.decode(v).consumer(), name));
        deleteSubkey(at.consumer(g.name(), name));
        GroupChange change = new GroupChange(at, g);
        change.consumers = Math.max(0, change.consumers - 1);
        change.pending -= removed;
        change.write(false);
        return removed;
    }

    /** Deletes the subkeys under prefix that which accepts (given key and value), in chunks; returns how many. */
    private long deleteUnder(byte[] prefix, BiPredicate<byte[], byte[]> which) throws StorageException {
        long deleted = 0;
        byte[] from = prefix;
        while (from != null) {
            List<byte[]> chunk = new ArrayList<>();
            byte[] resume = null;
            try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
                for (it.seek(from); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    if (!Bytes.startsWith(k, prefix)) {
                        break;
                    }
                    if (chunk.size() == CHUNK) {
                        resume = k;
                        break;
                    }
                    if (which.test(k, it.value())) {
                        chunk.add(k);
                    }
                }
            }
            for (byte[] k : chunk) {
                deleteSubkey(k);
            }
            deleted += chunk.size();
            from = resume;
        }
        return deleted;
    }

    // ---- XREADGROUP -----------------------------------------------------------------------------

    /**
     * What one operation changes in a group, written back once at the end: the group's value (only if
     * it changed), the acting consumer (looked up or created on first need, seen now, as Redis's
     * consumer lookup refreshes it) with its pending count, and the pending counts of the consumers
     * that lost entries (read again then, so the actor's own losses count too).
     */
    private final class GroupChange {
        private final StreamLayout at;
        private final Group group;
        long consumers;
        long pending;
        StreamId lastId;
        long entriesRead;
        private Consumer actor;
        private long actorPending;
        private final Map<ByteKey, Long> released = new LinkedHashMap<>();

        GroupChange(StreamLayout at, Group group) {
            this.at = at;
            this.group = group;
            GroupValue v = group.value();
            consumers = v.consumers();
            pending = v.pending();
            lastId = v.lastDeliveredId();
            entriesRead = v.entriesRead();
        }

        /** Looks the acting consumer up, creating it when missing, unless already done. */
        void actor(byte[] name) throws StorageException {
            if (actor != null) {
                return;
            }
            long now = txn.nowMs();
            byte[] v = txn.get(ColumnFamily.STREAM, at.consumer(group.name(), name));
            if (v == null) {
                consumers++;
                actor = new Consumer(name, new ConsumerValue(0, now, now));
            } else {
                actor = new Consumer(name, ConsumerValue.decode(v));
            }
            actorPending = actor.value().pending();
        }

        /** A pending entry of owner (null for none) becomes the actor's. */
        void takeFrom(byte[] owner) {
            if (owner != null && Arrays.equals(owner, actor.name())) {
                return;
            }
            if (owner != null) {
                released.merge(new ByteKey(owner), 1L, Long::sum);
            }
            actorPending++;
        }

        /** A new pending entry of the actor. */
        void added() {
            pending++;
            actorPending++;
        }

        /** A pending entry of owner left the group (acknowledged, or its entry deleted). */
        void removed(byte[] owner) {
            released.merge(new ByteKey(owner), 1L, Long::sum);
            pending--;
        }

        /** Writes what changed; delivered says whether the actor got entries (its last successful interaction). */
        void write(boolean delivered) throws StorageException {
            GroupValue after = new GroupValue(consumers, Math.max(0, pending), lastId, entriesRead, group.value().lag());
            if (!after.equals(group.value())) {
                putGroup(at, new Group(group.name(), after));
            }
            if (actor != null) {
                long now = txn.nowMs();
                putConsumer(at, group.name(), new Consumer(actor.name(), new ConsumerValue(actorPending, now,
                        delivered ? now : actor.value().activeTime())));
            }
            for (Map.Entry<ByteKey, Long> e : released.entrySet()) {
                byte[] name = e.getKey().bytes();
                byte[] v = txn.get(ColumnFamily.STREAM, at.consumer(group.name(), name));
                if (v != null) {
                    ConsumerValue cv = ConsumerValue.decode(v);
                    putConsumer(at, group.name(), new Consumer(name, new ConsumerValue(
                            Math.max(0, cv.pending() - e.getValue()), cv.seenTime(), cv.activeTime())));
                }
            }
        }
    }

    /**
     * XREADGROUP with {@code >}: the entries after {@code after} (the group's last delivered ID, or what
     * a woken reader blocked for), at most count (0 = all). Each moves the group's last delivered ID and
     * read counter on (Redis's streamReplyWithRange) and, unless noack, becomes pending for the consumer,
     * taken from another consumer if it was pending there (after XGROUP SETID moved the group back).
     */
    public List<Delivered> readNew(byte[] key, StreamMetadata m, Group group, byte[] consumer, StreamId after,
            long count, boolean noack) throws StorageException {
        StreamLayout at = at(key, m);
        GroupChange g = new GroupChange(at, group);
        g.actor(consumer);
        List<Delivered> out = new ArrayList<>();
        StreamId start = after.next();
        if (start != null) {
            streams.range(key, m, start, StreamId.MAX, count, false, n -> { }, (id, v) -> out.add(new Delivered(id, v)));
        }
        long now = txn.nowMs();
        for (Delivered d : out) {
            if (d.id().greaterThan(g.lastId)) {
                if (g.entriesRead != UNKNOWN && !hasTombstones(m, d.id())) {
                    g.entriesRead++;
                } else if (m.entriesAdded() != 0) {
                    g.entriesRead = distanceFromFirstEver(m, d.id());
                }
                g.lastId = d.id();
            }
            if (noack) {
                continue;
            }
            PendingValue before = pending(at, group.name(), d.id());
            if (before == null) {
                g.added();
            } else {
                g.takeFrom(before.consumer());
            }
            putPending(at, group.name(), d.id(), new PendingValue(now, 1, consumer));
        }
        g.write(!out.isEmpty());
        return out;
    }

    /**
     * XREADGROUP with an ID: the consumer's own pending entries from start on, at most count (0 = all),
     * each delivered again (its delivery count and time updated); an entry deleted since shows with a
     * null value. The consumer is created when missing.
     */
    public List<Delivered> readHistory(byte[] key, StreamMetadata m, Group group, byte[] consumer, StreamId start,
            long count) throws StorageException {
        StreamLayout at = at(key, m);
        GroupChange g = new GroupChange(at, group);
        g.actor(consumer);
        List<StreamId> ids = new ArrayList<>();
        List<PendingValue> values = new ArrayList<>();
        byte[] prefix = at.pendingPrefix(group.name());
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(at.pending(group.name(), start)); it.isValid() && (count <= 0 || ids.size() < count);
                    it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                PendingValue p = PendingValue.decode(it.value());
                if (Arrays.equals(p.consumer(), consumer)) {
                    ids.add(at.pendingId(k, group.name()));
                    values.add(p);
                }
            }
        }
        long now = txn.nowMs();
        List<Delivered> out = new ArrayList<>(ids.size());
        boolean delivered = false;
        for (int i = 0; i < ids.size(); i++) {
            byte[] entry = streams.entry(key, m, ids.get(i));
            out.add(new Delivered(ids.get(i), entry));
            if (entry != null) {
                delivered = true;
                putPending(at, group.name(), ids.get(i), new PendingValue(now, values.get(i).deliveryCount() + 1,
                        consumer));
            }
        }
        g.write(delivered);
        return out;
    }

    // ---- XACK -----------------------------------------------------------------------------------

    /** XACK: removes the IDs that are pending in the group; returns how many were. */
    public long ack(byte[] key, StreamMetadata m, Group group, List<StreamId> ids) throws StorageException {
        StreamLayout at = at(key, m);
        GroupChange g = new GroupChange(at, group);
        long acked = 0;
        for (StreamId id : ids) {
            PendingValue p = pending(at, group.name(), id);
            if (p != null) {
                deleteSubkey(at.pending(group.name(), id));
                g.removed(p.consumer());
                acked++;
            }
        }
        g.write(false);
        return acked;
    }

    // ---- XPENDING -------------------------------------------------------------------------------

    /** XPENDING's summary: the first and last pending IDs (null when none) and each consumer's count. */
    public record Summary(long count, StreamId first, StreamId last, List<Map.Entry<byte[], Long>> consumers) {
    }

    public Summary pendingSummary(byte[] key, StreamMetadata m, Group g) throws StorageException {
        StreamLayout at = at(key, m);
        byte[] prefix = at.pendingPrefix(g.name());
        StreamId first = null;
        StreamId last = null;
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            it.seek(prefix);
            if (it.isValid() && Bytes.startsWith(it.key(), prefix)) {
                first = at.pendingId(it.key(), g.name());
                it.seekForPrev(at.pending(g.name(), StreamId.MAX));
                last = at.pendingId(it.key(), g.name());
            }
        }
        List<Map.Entry<byte[], Long>> consumers = new ArrayList<>();
        if (first != null) {
            for (Consumer c : consumers(key, m, g.name())) {
                if (c.value().pending() > 0) {
                    consumers.add(Map.entry(c.name(), c.value().pending()));
                }
            }
        }
        return new Summary(first == null ? 0 : g.value().pending(), first, last, consumers);
    }

    /**
     * XPENDING's extended form: pending entries with start <= ID <= end, at most count, of one consumer
     * when consumer is not null, idle at least minIdle ms when minIdle is not 0.
     */
    public List<Pending> pendingRange(byte[] key, StreamMetadata m, Group g, StreamId start, StreamId end, long count,
            long minIdle, byte[] consumer) {
        StreamLayout at = at(key, m);
        byte[] prefix = at.pendingPrefix(g.name());
        long now = txn.nowMs();
        List<Pending> out = new ArrayList<>();
        if (count <= 0 || start.greaterThan(end)) {
            return out;
        }
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(at.pending(g.name(), start)); it.isValid() && out.size() < count; it.next()) {
                byte[] k = it.key();
                if (!Bytes.startsWith(k, prefix)) {
                    break;
                }
                StreamId id = at.pendingId(k, g.name());
                if (id.greaterThan(end)) {
                    break;
                }
                PendingValue p = PendingValue.decode(it.value());
                if (consumer != null && !Arrays.equals(p.consumer(), consumer)
                        || minIdle != 0 && now - p.deliveryTime() < minIdle) {
                    continue;
                }
                out.add(new Pending(id, p.consumer(), p.deliveryTime(), p.deliveryCount()));
            }
        }
        return out;
    }

    // ---- XCLAIM / XAUTOCLAIM --------------------------------------------------------------------

    /** XCLAIM's options: deliveryTime and retryCount -1 when not given, lastId 0-0 when not given. */
    public record ClaimOptions(long deliveryTime, long retryCount, boolean force, boolean justId, StreamId lastId) {
    }

    /**
     * XCLAIM (Redis 7.0's xclaimCommand): each ID pending in the group, idle at least minIdle ms, and
     * still in the stream becomes the consumer's; with FORCE an ID not pending is made so. A pending ID
     * whose entry was deleted leaves the group. The consumer is created with its first claim.
     */
    public List<Delivered> claim(byte[] key, StreamMetadata m, Group group, byte[] consumer, long minIdle,
            List<StreamId> ids, ClaimOptions o) throws StorageException {
        StreamLayout at = at(key, m);
        GroupChange g = new GroupChange(at, group);
        long now = txn.nowMs();
        if (o.lastId().greaterThan(g.lastId)) {
            g.lastId = o.lastId();
        }
        long deliveryTime = o.deliveryTime() < 0 || o.deliveryTime() > now ? now : o.deliveryTime();
        List<Delivered> out = new ArrayList<>();
        for (StreamId id : ids) {
            PendingValue p = pending(at, group.name(), id);
            byte[] entry = streams.entry(key, m, id);
            if (entry == null) {
                if (p != null) {
                    deleteSubkey(at.pending(group.name(), id));
                    g.removed(p.consumer());
                }
                continue;
            }
            if (p == null) {
                if (!o.force()) {
                    continue;
                }
                p = new PendingValue(now, 1, null); // FORCE: pending from now on, with no owner yet
                g.pending++;
            } else if (minIdle != 0 && now - p.deliveryTime() < minIdle) {
                continue;
            }
            g.actor(consumer);
            g.takeFrom(p.consumer());
            long deliveries = o.retryCount() >= 0 ? o.retryCount() : o.justId() ? p.deliveryCount()
                    : p.deliveryCount() + 1;
            putPending(at, group.name(), id, new PendingValue(deliveryTime, deliveries, consumer));
            out.add(new Delivered(id, o.justId() ? null : entry));
        }
        g.write(!out.isEmpty());
        return out;
    }

    /** XAUTOCLAIM's reply: the cursor to go on from, the claimed entries, and the IDs that were deleted. */
    public record AutoClaimed(StreamId next, List<Delivered> claimed, List<StreamId> deleted) {
    }

    /** How many pending entries XAUTOCLAIM looks at per entry it may claim (Redis's attempts_factor). */
    private static final int ATTEMPTS_FACTOR = 10;

    /**
     * XAUTOCLAIM (Redis 7.0): walks the group's pending entries from start, looking at up to count * 10
     * of them; those idle at least minIdle ms become the consumer's (at most count), those whose entry
     * was deleted leave the group (and count against count too). The cursor is the next pending ID after
     * the walk, 0-0 at the end.
     */
    public AutoClaimed autoClaim(byte[] key, StreamMetadata m, Group group, byte[] consumer, long minIdle,
            StreamId start, long count, boolean justId) throws StorageException {
        StreamLayout at = at(key, m);
        byte[] prefix = at.pendingPrefix(group.name());
        long now = txn.nowMs();
        long attempts = count * ATTEMPTS_FACTOR;
        long left = count;
        GroupChange g = new GroupChange(at, group);
        List<Delivered> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId next = StreamId.MIN;
        StreamId from = start;
        boolean walking = true;
        while (walking) {
            // A chunk of pending entries, read before anything is written.
            List<StreamId> ids = new ArrayList<>();
            List<PendingValue> values = new ArrayList<>();
            try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
                for (it.seek(at.pending(group.name(), from)); it.isValid() && ids.size() < CHUNK; it.next()) {
                    byte[] k = it.key();
                    if (!Bytes.startsWith(k, prefix)) {
                        break;
                    }
                    ids.add(at.pendingId(k, group.name()));
                    values.add(PendingValue.decode(it.value()));
                }
            }
            int i = 0;
            for (; i < ids.size(); i++) {
                if (attempts-- == 0 || left == 0) {
                    break;
                }
                StreamId id = ids.get(i);
                PendingValue p = values.get(i);
                byte[] entry = streams.entry(key, m, id);
                if (entry == null) {
                    deleteSubkey(at.pending(group.name(), id));
                    g.removed(p.consumer());
                    deleted.add(id);
                    left--;
                    continue;
                }
                if (minIdle != 0 && now - p.deliveryTime() < minIdle) {
                    continue;
                }
                g.actor(consumer);
                g.takeFrom(p.consumer());
                putPending(at, group.name(), id, new PendingValue(now, justId ? p.deliveryCount()
                        : p.deliveryCount() + 1, consumer));
                claimed.add(new Delivered(id, justId ? null : entry));
                left--;
            }
            if (i < ids.size()) {
                next = ids.get(i);
                walking = false;
            } else if (ids.size() < CHUNK) {
                walking = false;
            } else {
                StreamId after = ids.get(ids.size() - 1).next();
                if (after == null) {
                    walking = false;
                } else {
                    from = after;
                }
            }
        }
        g.write(!claimed.isEmpty());
        return new AutoClaimed(next, claimed, deleted);
    }

    // ---- XINFO ----------------------------------------------------------------------------------

    /** The stream's groups, by name. */
    public List<Group> groups(byte[] key, StreamMetadata m) {
        StreamLayout at = at(key, m);
        byte[] prefix = at.groupsPrefix();
        List<Group> out = new ArrayList<>();
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(new Group(at.groupName(it.key()), GroupValue.decode(it.value())));
            }
        }
        out.sort(Comparator.comparing(Group::name, Bytes::compare));
        return out;
    }

    /** The group's consumers, by name. */
    public List<Consumer> consumers(byte[] key, StreamMetadata m, byte[] group) {
        StreamLayout at = at(key, m);
        byte[] prefix = at.consumersPrefix(group);
        List<Consumer> out = new ArrayList<>();
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(new Consumer(at.consumerName(it.key(), group), ConsumerValue.decode(it.value())));
            }
        }
        out.sort(Comparator.comparing(Consumer::name, Bytes::compare));
        return out;
    }

    /**
     * XINFO STREAM FULL's pending lists: the group's first count pending entries (0 = all), and for each
     * consumer its own first count, in one walk over the group's pending entries.
     */
    public record PendingLists(List<Pending> group, Map<ByteKey, List<Pending>> byConsumer) {
    }

    public PendingLists pendingLists(byte[] key, StreamMetadata m, byte[] group, long count) {
        StreamLayout at = at(key, m);
        byte[] prefix = at.pendingPrefix(group);
        List<Pending> all = new ArrayList<>();
        Map<ByteKey, List<Pending>> mine = new HashMap<>();
        try (TxnIterator it = txn.iterator(ColumnFamily.STREAM)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                PendingValue p = PendingValue.decode(it.value());
                Pending row = new Pending(at.pendingId(it.key(), group), p.consumer(), p.deliveryTime(),
                        p.deliveryCount());
                if (count <= 0 || all.size() < count) {
                    all.add(row);
                }
                List<Pending> own = mine.computeIfAbsent(new ByteKey(p.consumer()), x -> new ArrayList<>());
                if (count <= 0 || own.size() < count) {
                    own.add(row);
                }
            }
        }
        return new PendingLists(all, mine);
    }

    // ---- whole streams (DUMP, RESTORE, RDB import) ------------------------------------------------

    /** The whole live stream: every entry, its IDs and counter, its groups with their consumers and pending entries. */
    public StreamImage image(byte[] key, StreamMetadata m) throws StorageException {
        List<StreamImage.Entry> entries = new ArrayList<>();
        streams.range(key, m, StreamId.MIN, StreamId.MAX, 0, false, n -> { },
                (id, v) -> entries.add(new StreamImage.Entry(id, StreamLayout.decodeFields(v))));
        List<StreamImage.Group> out = new ArrayList<>();
        for (Group g : groups(key, m)) {
            List<StreamImage.Consumer> consumers = new ArrayList<>();
            for (Consumer c : consumers(key, m, g.name())) {
                consumers.add(new StreamImage.Consumer(c.name(), c.value().seenTime()));
            }
            List<StreamImage.Pending> pending = new ArrayList<>();
            for (Pending p : pendingLists(key, m, g.name(), 0).group()) {
                pending.add(new StreamImage.Pending(p.id(), p.consumer(), p.deliveryTime(), p.deliveries()));
            }
            GroupValue v = g.value();
            out.add(new StreamImage.Group(g.name(), v.lastDeliveredId(), v.entriesRead(), pending, consumers));
        }
        return new StreamImage(entries, m.lastGeneratedId(), m.maxDeletedEntryId(), m.entriesAdded(), out);
    }

    /**
     * Replaces whatever key held (any type, its expiry too) with the stream of the image, expiring at
     * expireAtMs (0 = never). The image must be consistent: entries in ID order, each storable and not
     * after the last generated ID, every pending entry's consumer among its group's consumers.
     */
    public void restore(byte[] key, StreamImage img, long expireAtMs) throws StorageException {
        streams.logOnce();
        new Keyspace(txn).delete(key);
        StreamMetadata m = StreamMetadata.empty(txn.storage().nextVersion());
        StreamLayout at = at(key, m);
        for (StreamImage.Entry e : img.entries()) {
            if (!e.id().storable()) {
                throw new IllegalArgumentException("stream entry ID " + e.id() + " cannot be stored");
            }
            txn.put(ColumnFamily.STREAM, at.entry(e.id()), StreamLayout.encodeFields(e.fieldsAndValues()));
        }
        List<StreamImage.Entry> entries = img.entries();
        StreamId first = entries.isEmpty() ? StreamId.MIN : entries.get(0).id();
        StreamId last = entries.isEmpty() ? StreamId.MIN : entries.get(entries.size() - 1).id();
        for (StreamImage.Group g : img.groups()) {
            Map<ByteKey, Long> owned = new HashMap<>();
            for (StreamImage.Pending p : g.pending()) {
                owned.merge(new ByteKey(p.consumer()), 1L, Long::sum);
                putPending(at, g.name(), p.id(), new PendingValue(p.deliveryTime(), p.deliveryCount(), p.consumer()));
            }
            for (StreamImage.Consumer c : g.consumers()) {
                long pending = owned.getOrDefault(new ByteKey(c.name()), 0L);
                putConsumer(at, g.name(), new Consumer(c.name(), new ConsumerValue(pending, c.seenTime(), c.seenTime())));
            }
            putGroup(at, new Group(g.name(), new GroupValue(g.consumers().size(), g.pending().size(),
                    g.lastDeliveredId(), g.entriesRead(), 0)));
        }
        streams.store(key, m.edit().expireAtMs(expireAtMs).size(entries.size()).lastGeneratedId(img.lastGeneratedId())
                .maxDeletedEntryId(img.maxDeletedEntryId()).firstEntryId(first).lastEntryId(last)
                .entriesAdded(img.entriesAdded()).groupCount(img.groups().size()).done(), true);
    }

    // ---- lag (Redis 7.0's streamReplyWithCGLag and helpers) --------------------------------------

    /** True when an entry at or after start was deleted (Redis's streamRangeHasTombstones to the end). */
    static boolean hasTombstones(StreamMetadata m, StreamId start) {
        StreamId maxDeleted = m.maxDeletedEntryId();
        if (m.size() == 0 || maxDeleted.isZero()) {
            return false;
        }
        if (m.firstEntryId().greaterThan(maxDeleted)) {
            return false;
        }
        return start.compareTo(maxDeleted) <= 0;
    }

    /**
     * The number of entries ever added up to id, when it can be known (Redis's
     * streamEstimateDistanceFromFirstEverEntry), else {@link #UNKNOWN}.
     */
    static long distanceFromFirstEver(StreamMetadata m, StreamId id) {
        if (m.entriesAdded() == 0) {
            return 0;
        }
        if (m.size() == 0 && id.compareTo(m.lastGeneratedId()) < 1) {
            return m.entriesAdded();
        }
        int cmpLast = id.compareTo(m.lastGeneratedId());
        if (cmpLast == 0) {
            return m.entriesAdded();
        }
        if (cmpLast > 0) {
            return UNKNOWN;
        }
        int cmpFirst = id.compareTo(m.firstEntryId());
        if (m.maxDeletedEntryId().isZero() || m.maxDeletedEntryId().lessThan(m.firstEntryId())) {
            if (cmpFirst < 0) {
                return m.entriesAdded() - m.size();
            }
            if (cmpFirst == 0) {
                return m.entriesAdded() - m.size() + 1;
            }
        }
        return UNKNOWN;
    }

    /** The group's lag as XINFO reports it, null when it cannot be known. */
    public static Long lag(StreamMetadata m, GroupValue g) {
        if (m.entriesAdded() == 0) {
            return 0L;
        }
        if (g.entriesRead() != UNKNOWN && !hasTombstones(m, g.lastDeliveredId())) {
            return m.entriesAdded() - g.entriesRead();
        }
        long read = distanceFromFirstEver(m, g.lastDeliveredId());
        return read == UNKNOWN ? null : m.entriesAdded() - read;
    }
}
