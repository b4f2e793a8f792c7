package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.CommittedRecords;
import dev.basalt.storage.CommittedRecords.Entry;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every write operation commits Kvrocks's WriteBatchLogData before its writes, byte for byte as Kvrocks
 * writes it. The expected bytes come from Kvrocks's source: WriteBatchLogData::Encode in
 * src/storage/redis_db.cc (decimal type, then " " + each argument), the RedisType and RedisCommand
 * enums in src/storage/redis_metadata.h (string 1, hash 2, list 3, set 4, zset 5, bitmap 6, sortedint 7,
 * hyperloglog 11; LSET 0, LINSERT 1, LTRIM 2, LPOP 3, RPOP 4, LREM 5, LPUSH 6, RPUSH 7, EXPIRE 8, SETBIT 9,
 * BITOP 10, BITFIELD 11, LMOVE 12), and the operation named with each case below.
 */
@Timeout(60)
class BatchLogDataTest {
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() {
        storage = temp.storage();
    }

    private interface Work {
        void run(Txn txn) throws Exception;
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    /** Commits work alone and returns what the commit wrote, read back from the WAL. */
    private List<Entry> commit(Work work) throws Exception {
        long before = CommittedRecords.lastSequence(storage);
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            work.run(t);
            storage.commit(t);
        }
        return CommittedRecords.since(storage, before);
    }

    /** The commit holds exactly one log data record, first, with these bytes, and writes after it. */
    private void assertLogData(String expected, Work work) throws Exception {
        List<Entry> records = commit(work);
        assertEquals(Entry.Kind.LOG_DATA, records.get(0).kind(), "log data comes before the writes");
        assertEquals(expected, Bytes.str(records.get(0).value()));
        assertEquals(1, records.stream().filter(e -> e.kind() == Entry.Kind.LOG_DATA).count(), "one log data record");
        assertFalse(records.size() < 2, "the operation wrote something");
    }

    @Test
    void stringWritesRecordTheStringType() throws Exception {
        // redis_string.cc String::updateRawValue and String::MSet: WriteBatchLogData log_data(kRedisString).
        assertLogData("1", t -> new StringType(t).set(b("s"), b("v"), 0));
        assertLogData("1", t -> new StringType(t).mset(List.of(b("a"), b("1"), b("b"), b("2"))));
        assertLogData("1", t -> new StringType(t).incrBy(b("a"), 5));
        assertLogData("1", t -> new StringType(t).append(b("s"), b("w"), Long.MAX_VALUE));
    }

    @Test
    void hashSetAndSortedSetWritesRecordTheirType() throws Exception {
        // redis_hash.cc Hash::MSet and Hash::Delete: WriteBatchLogData log_data(kRedisHash).
        assertLogData("2", t -> new HashType(t).set(b("h"), List.of(new HashType.Entry(b("f"), b("v")))));
        assertLogData("2", t -> new HashType(t).deleteFields(b("h"), List.of(b("f"))));
        // redis_set.cc Set::Add and Set::Remove: WriteBatchLogData log_data(kRedisSet).
        assertLogData("4", t -> new SetType(t).add(b("s1"), List.of(b("x"), b("y"))));
        assertLogData("4", t -> new SetType(t).remove(b("s1"), List.of(b("x"))));
        // redis_zset.cc ZSet::Add and ZSet::Remove: WriteBatchLogData log_data(kRedisZSet).
        assertLogData("5", t -> new ZSetType(t).add(b("z"), List.of(new ZSetType.Entry(b("m"), 1.5)),
                ZSetType.AddOptions.NONE));
        assertLogData("5", t -> new ZSetType(t).remove(b("z"), List.of(b("m"))));
    }

    @Test
    void listWritesRecordTheCommandAndTheArgumentsTheWritesDoNotCarry() throws Exception {
        // redis_list.cc List::push: {std::to_string(kRedisCmdRPush or kRedisCmdLPush)}.
        assertLogData("3 7", t -> new ListType(t).push(b("l"), List.of(b("a"), b("b"), b("c"), b("a")), false, true));
        assertLogData("3 6", t -> new ListType(t).push(b("l"), List.of(b("z")), true, true));
        // List::PopMulti: {std::to_string(kRedisCmdLPop or kRedisCmdRPop)}.
        assertLogData("3 3", t -> new ListType(t).pop(b("l"), true, 1));
        assertLogData("3 4", t -> new ListType(t).pop(b("l"), false, 1));
        // List::Set: {kRedisCmdLSet, index}, the index counted from the head.
        assertLogData("3 0 2", t -> new ListType(t).set(b("l"), -1, b("C")));
        // List::Insert: {kRedisCmdLInsert, before ? "1" : "0", pivot, element}.
        assertLogData("3 1 1 b x", t -> new ListType(t).insert(b("l"), true, b("b"), b("x")));
        // List::Rem: {kRedisCmdLRem, count, element}, count as given.
        assertLogData("3 5 -2 a", t -> new ListType(t).remove(b("l"), -2, b("a")));
        // List::Trim: {kRedisCmdLTrim, start, stop} after its own index normalisation.
        assertLogData("3 2 1 2", t -> new ListType(t).trim(b("l"), 1, -1));
        // List::LMove (lmoveOnTwoLists): {kRedisCmdLMove, src, dst, "left"|"right", "left"|"right"}.
        assertLogData("3 12 l l2 left right", t -> new ListType(t).move(b("l"), b("l2"), true, false));
    }

    @Test
    void bitmapWritesRecordTheBitCommand() throws Exception {
        // redis_bitmap.cc Bitmap::SetBit: {std::to_string(kRedisCmdSetBit), std::to_string(bit_offset)}.
        assertLogData("6 9 4294967295", t -> new BitmapType(t).setBit(b("bm"), 4294967295L, true));
        assertLogData("6 9 3", t -> new BitmapType(t).setBit(b("bm"), 3, false));
        // Bitmap::BitOp: {kRedisCmdBitOp, the operation as the client wrote it, then the source keys}.
        assertLogData("6 10 oR bm none", t -> new BitmapType(t).bitop(BitmapType.BitOp.OR, b("oR"), b("dst"),
                List.of(b("bm"), b("none"))));
        // Bitmap::bitfieldWriteAheadLog: {kRedisCmdBitfield}, then each SET/INCRBY with its type, absolute
        // offset and value (an unsigned SET value as uint64), OVERFLOW when the rule changes from WRAP; GETs left out.
        List<BitField.Operation> ops = List.of(
                new BitField.Operation(BitField.Kind.SET, false, 8, 0, 255, BitField.Overflow.WRAP),
                new BitField.Operation(BitField.Kind.GET, true, 4, 0, 0, BitField.Overflow.WRAP),
                new BitField.Operation(BitField.Kind.INCRBY, true, 5, 100, 1, BitField.Overflow.SAT),
                new BitField.Operation(BitField.Kind.SET, false, 8, 8, -1, BitField.Overflow.FAIL),
                new BitField.Operation(BitField.Kind.INCRBY, true, 64, 64, -7, BitField.Overflow.FAIL));
        assertLogData("6 11 SET u8 0 255 OVERFLOW SAT INCRBY i5 100 1 OVERFLOW FAIL SET u8 8 18446744073709551615"
                + " INCRBY i64 64 -7", t -> new BitmapType(t).bitfield(b("bm"), ops));
        // Bit writes to a string keep it a string: redis_bitmap_string.cc, WriteBatchLogData log_data(kRedisString).
        commit(t -> new StringType(t).set(b("str"), b("x"), 0));
        assertLogData("1", t -> new BitmapType(t).setBit(b("str"), 20, true));
        assertLogData("1", t -> new BitmapType(t).bitfield(b("str"), List.of(ops.get(0))));
        // BITOP over empty sources only deletes the destination (Kvrocks writes no log data there): recorded as DEL's.
        assertLogData("0", t -> new BitmapType(t).bitop(BitmapType.BitOp.AND, b("and"), b("dst"), List.of(b("none"))));
    }

    @Test
    void hyperLogLogSortedIntAndGeoWritesRecordTheirType() throws Exception {
        // redis_hyperloglog.cc HyperLogLog::Add and ::Merge: WriteBatchLogData log_data(kRedisHyperLogLog).
        assertLogData("11", t -> new HyperLogLogType(t).add(b("h"), List.of(b("a"), b("b"))));
        assertLogData("11", t -> new HyperLogLogType(t).merge(b("h2"), List.of(b("h"))));
        // redis_sortedint.cc Sortedint::Add and ::Remove: WriteBatchLogData log_data(kRedisSortedint).
        assertLogData("7", t -> new SortedIntType(t).add(b("si"), List.of(1L, 2L)));
        assertLogData("7", t -> new SortedIntType(t).remove(b("si"), List.of(1L)));
        // redis_geo.cc Geo::Add goes through ZSet::Add: WriteBatchLogData log_data(kRedisZSet).
        assertLogData("5", t -> new ZSetType(t).add(b("geo"), List.of(new ZSetType.Entry(b("Palermo"),
                dev.basalt.util.GeoHash.score(13.361389, 38.115556))), ZSetType.AddOptions.NONE));
    }

    @Test
    void streamWritesRecordTheStreamTypeAndXsetidItsName() throws Exception {
        // redis_stream.cc: every Stream write puts WriteBatchLogData log_data(kRedisStream) (type 8, no
        // arguments) but Stream::SetId, which puts {"XSETID"}.
        StreamId one = new StreamId(1, 0);
        assertLogData("8", t -> new StreamType(t).add(b("x"), one, true, false, null, List.of(b("f"), b("v"))));
        assertLogData("8", t -> new StreamType(t).add(b("x"), new StreamId(2, 0), true, false,
                new StreamType.Trim(false, 1, StreamId.MIN, false, 0), List.of(b("f"), b("v"))));
        assertLogData("8", t -> new StreamType(t).add(b("x"), new StreamId(3, 0), true, false, null,
                List.of(b("f"), b("v"))));
        assertLogData("8", t -> new StreamType(t).trim(b("x"), new StreamType.Trim(false, 1, StreamId.MIN, false, 0)));
        assertLogData("8 XSETID", t -> {
            StreamType s = new StreamType(t);
            s.setId(b("x"), s.metadata(b("x")), new StreamId(9, 0), -1, StreamId.MIN);
        });
        assertLogData("8", t -> new StreamGroups(t).createGroup(b("x"), new StreamType(t).metadata(b("x")), b("g"),
                StreamId.MIN, StreamGroups.UNKNOWN));
        assertLogData("8", t -> {
            StreamGroups g = new StreamGroups(t);
            StreamMetadata m = g.streams().metadata(b("x"));
            g.readNew(b("x"), m, g.group(b("x"), m, b("g")), b("c"), StreamId.MIN, 0, false);
        });
        assertLogData("8", t -> {
            StreamGroups g = new StreamGroups(t);
            StreamMetadata m = g.streams().metadata(b("x"));
            g.ack(b("x"), m, g.group(b("x"), m, b("g")), List.of(new StreamId(3, 0)));
        });
        assertLogData("8", t -> {
            StreamType s = new StreamType(t);
            s.delete(b("x"), s.metadata(b("x")), List.of(new StreamId(3, 0)));
        });
        assertLogData("8", t -> {
            StreamGroups g = new StreamGroups(t);
            g.destroyGroup(b("x"), g.streams().metadata(b("x")), b("g"));
        });
    }

    @Test
    void genericKeyWritesRecordNoTypeOrTheSourceType() throws Exception {
        commit(t -> new HashType(t).set(b("h"), List.of(new HashType.Entry(b("f"), b("v")))));
        // redis_db.cc Database::Expire: WriteBatchLogData log_data(kRedisNone, {std::to_string(kRedisCmdExpire)}).
        assertLogData("0 8", t -> new Keyspace(t).expire(b("h"), System.currentTimeMillis() + 60_000, 0));
        assertLogData("0 8", t -> new Keyspace(t).persist(b("h")));
        // Database::Copy (COPY, RENAME): WriteBatchLogData log_data(type) with the source's type.
        assertLogData("2", t -> new KeyCopy(t).copy(b("h"), b("h2"), false));
        assertLogData("2", t -> new KeyCopy(t).rename(b("h2"), b("h3"), false));
        // Database::MDel (DEL): WriteBatchLogData log_data(kRedisNone).
        assertLogData("0", t -> new Keyspace(t).deleteKeys(List.of(b("h"), b("h3"), b("missing"))));
    }

    @Test
    void theLogDataPrecedesTheWritesItDescribes() throws Exception {
        List<Entry> records = commit(t -> {
            new SetType(t).add(b("s"), List.of(b("m")));
            new ListType(t).push(b("l"), List.of(b("e")), false, true);
        });
        assertEquals(List.of("LOG_DATA 4", "PUT DEFAULT", "PUT METADATA", "LOG_DATA 3 7", "PUT DEFAULT", "PUT METADATA"),
                records.stream().map(e -> e.kind() == Entry.Kind.LOG_DATA ? "LOG_DATA " + Bytes.str(e.value())
                        : e.kind() + " " + (e.cf() == null ? ColumnFamily.DEFAULT : e.cf())).toList());
    }
}
