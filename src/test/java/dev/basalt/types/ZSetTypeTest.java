package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.protocol.RespWriter;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.testutil.TempStorage;
import dev.basalt.types.ZSetType.AddOptions;
import dev.basalt.types.ZSetType.Entry;
import dev.basalt.types.ZSetType.LexRange;
import dev.basalt.types.ZSetType.ScoreRange;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ZSetType against a real (temporary) RocksDB: Kvrocks layout, ZADD rules, ranges, pops, reclaiming. */
class ZSetTypeTest {
    private static final String NS = KeyCodec.DEFAULT_NAMESPACE;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    @FunctionalInterface
    private interface TxnOp<T> {
        T run(Txn txn, ZSetType z) throws Exception;
    }

    /** Runs ops in one Txn and commits it, as the dispatcher does for one command. */
    private <T> T inTxn(TxnOp<T> op) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            T r = op.run(txn, new ZSetType(txn));
            storage.commit(txn);
            return r;
        }
    }

    private static List<Entry> pairs(Object... scoreMember) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < scoreMember.length; i += 2) {
            out.add(new Entry(b((String) scoreMember[i + 1]), ((Number) scoreMember[i]).doubleValue()));
        }
        return out;
    }

    private static String show(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(Bytes.str(e.member())).append('=').append(RespWriter.formatDouble(e.score()));
        }
        return sb.toString();
    }

    private void add(String key, Object... scoreMember) throws Exception {
        inTxn((t, z) -> z.add(b(key), pairs(scoreMember), AddOptions.NONE));
    }

    private List<byte[][]> scan(ColumnFamily cf, byte[] prefix) {
        List<byte[][]> out = new ArrayList<>();
        try (Txn txn = storage.begin(NS); TxnIterator it = txn.iterator(cf)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(new byte[][] {it.key(), it.value()});
            }
        }
        return out;
    }

    @Test
    void writesKvrocksLayout() throws Exception {
        add("zk", 2.5, "m1", -1, "m2");
        byte[] raw;
        try (Txn txn = storage.begin(NS)) {
            raw = txn.get(ColumnFamily.METADATA, txn.codec().metadataKey(b("zk")));
        }
        assertEquals(0x85, raw[0] & 0xff, "64-bit flag | zset type 5");
        ByteBuffer meta = ByteBuffer.wrap(raw, 1, raw.length - 1);
        assertEquals(0, meta.getLong(), "no expiry");
        long version = meta.getLong();
        assertEquals(2, meta.getLong(), "size");
        assertEquals(25, raw.length);

        KeyCodec codec = new KeyCodec(NS);
        byte[] prefix = codec.subkeyPrefix(b("zk"), version);
        List<byte[][]> members = scan(ColumnFamily.DEFAULT, prefix);
        assertEquals(2, members.size());
        assertArrayEquals(codec.subkey(b("zk"), version, b("m1")), members.get(0)[0]);
        assertArrayEquals(ZScore.encode(2.5), members.get(0)[1]);
        assertArrayEquals(codec.subkey(b("zk"), version, b("m2")), members.get(1)[0]);
        assertArrayEquals(ZScore.encode(-1), members.get(1)[1]);

        List<byte[][]> index = scan(ColumnFamily.ZSET_SCORE, prefix);
        assertEquals(2, index.size());
        byte[] first = new byte[8 + 2];
        System.arraycopy(ZScore.encode(-1), 0, first, 0, 8);
        System.arraycopy(b("m2"), 0, first, 8, 2);
        assertArrayEquals(codec.subkey(b("zk"), version, first), index.get(0)[0], "lowest score first");
        assertEquals(0, index.get(0)[1].length);
    }

    @Test
    void scoreUpdateMovesTheIndexEntry() throws Exception {
        add("z", 1, "a", 2, "b");
        add("z", 3, "a");
        CollectionMetadata m = inTxn((t, z) -> z.metadata(b("z")));
        byte[] prefix = new KeyCodec(NS).subkeyPrefix(b("z"), m.version());
        assertEquals(2, scan(ColumnFamily.ZSET_SCORE, prefix).size(), "old index entry removed");
        assertEquals("b=2 a=3", show(inTxn((t, z) -> z.all(b("z")))));
    }

    @Test
    void addRulesNxXxGtLtIncr() throws Exception {
        add("z", 5, "a");
        ZSetType.AddResult r = inTxn((t, z) -> z.add(b("z"), pairs(1, "a", 1, "new"), new AddOptions(true, false, false, false, false)));
        assertEquals(new ZSetType.AddResult(1, 0, 1, 1.0), r);
        r = inTxn((t, z) -> z.add(b("z"), pairs(9, "a", 9, "nope"), new AddOptions(false, true, false, false, false)));
        assertEquals(0, r.added());
        assertEquals(1, r.updated());
        r = inTxn((t, z) -> z.add(b("z"), pairs(3, "a"), new AddOptions(false, false, true, false, false)));
        assertEquals(0, r.processed(), "GT: 3 is not above 9");
        r = inTxn((t, z) -> z.add(b("z"), pairs(3, "a"), new AddOptions(false, false, false, true, false)));
        assertEquals(1, r.updated(), "LT: 3 is below 9");
        r = inTxn((t, z) -> z.add(b("z"), pairs(2.5, "a"), new AddOptions(false, false, false, false, true)));
        assertEquals(5.5, r.score());
        r = inTxn((t, z) -> z.add(b("z"), pairs(0, "a"), new AddOptions(false, false, false, false, true)));
        assertEquals(1, r.processed(), "an unchanged score still counts as processed");
        assertEquals(0, r.updated());
        r = inTxn((t, z) -> z.add(b("missing"), pairs(1, "a"), new AddOptions(false, true, false, false, false)));
        assertEquals(0, r.processed());
        assertNull(inTxn((t, z) -> z.metadata(b("missing"))), "XX never creates the key");
    }

    @Test
    void nanIncrementFailsAndInfinityIsKept() throws Exception {
        add("z", Double.POSITIVE_INFINITY, "a");
        ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn((t, z) ->
                z.add(b("z"), pairs(Double.NEGATIVE_INFINITY, "a"), new AddOptions(false, false, false, false, true))));
        assertEquals(ZSetType.NAN_SCORE, e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, inTxn((t, z) -> z.score(b("z"), b("a"))));
    }

    @Test
    void negativeZeroTiesWithZeroByMember() throws Exception {
        add("z", 0.0, "b", -0.0, "a", -0.0, "c");
        assertEquals("a=0 b=0 c=0", show(inTxn((t, z) -> z.all(b("z")))));
        assertEquals("a=0 b=0 c=0", show(inTxn((t, z) ->
                z.rangeByScore(b("z"), new ScoreRange(-0.0, false, 0.0, false), 0, -1, false))));
        assertEquals("", show(inTxn((t, z) ->
                z.rangeByScore(b("z"), new ScoreRange(-0.0, true, 0.0, false), 0, -1, false))));
    }

    @Test
    void ranksAndRankRanges() throws Exception {
        add("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
        assertEquals("b=2 c=3", show(inTxn((t, z) -> z.rangeByRank(b("z"), 1, 2, false))));
        assertEquals("e=5 d=4", show(inTxn((t, z) -> z.rangeByRank(b("z"), 0, 1, true))));
        assertEquals("d=4 e=5", show(inTxn((t, z) -> z.rangeByRank(b("z"), -2, -1, false))));
        assertEquals("a=1 b=2 c=3 d=4 e=5", show(inTxn((t, z) -> z.rangeByRank(b("z"), -100, 100, false))));
        assertEquals("", show(inTxn((t, z) -> z.rangeByRank(b("z"), 3, 1, false))));
        assertEquals("", show(inTxn((t, z) -> z.rangeByRank(b("z"), 5, 10, false))));
        assertEquals(new ZSetType.Rank(2, 3.0), inTxn((t, z) -> z.rank(b("z"), b("c"), false)));
        assertEquals(new ZSetType.Rank(0, 5.0), inTxn((t, z) -> z.rank(b("z"), b("e"), true)));
        assertNull(inTxn((t, z) -> z.rank(b("z"), b("nope"), false)));
    }

    @Test
    void scoreRangesSeekTheIndexInBothDirections() throws Exception {
        add("z", Double.NEGATIVE_INFINITY, "ninf", -1.5, "neg", 0, "zero", 1, "a", 1, "b", 2, "c",
                Double.POSITIVE_INFINITY, "pinf");
        // A neighbouring key's entries must never leak into the range.
        add("z2", 1.5, "other");
        add("y", 1.5, "other");
        ScoreRange all = new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
        assertEquals("ninf=-inf neg=-1.5 zero=0 a=1 b=1 c=2 pinf=inf", show(inTxn((t, z) -> z.rangeByScore(b("z"), all, 0, -1, false))));
        assertEquals("pinf=inf c=2 b=1 a=1 zero=0 neg=-1.5 ninf=-inf", show(inTxn((t, z) -> z.rangeByScore(b("z"), all, 0, -1, true))));
        ScoreRange oneExclusive = new ScoreRange(1, true, 2, false);
        assertEquals("c=2", show(inTxn((t, z) -> z.rangeByScore(b("z"), oneExclusive, 0, -1, false))));
        ScoreRange upToOne = new ScoreRange(0, false, 1, false);
        assertEquals("b=1 a=1 zero=0", show(inTxn((t, z) -> z.rangeByScore(b("z"), upToOne, 0, -1, true))));
        ScoreRange belowOne = new ScoreRange(0, false, 1, true);
        assertEquals("zero=0", show(inTxn((t, z) -> z.rangeByScore(b("z"), belowOne, 0, -1, true))));
        assertEquals("a=1 b=1", show(inTxn((t, z) -> z.rangeByScore(b("z"), all, 3, 2, false))));
        assertEquals("", show(inTxn((t, z) -> z.rangeByScore(b("z"), all, -1, 2, false))), "negative offset");
        assertEquals("", show(inTxn((t, z) -> z.rangeByScore(b("z"), all, 0, 0, false))), "limit 0");
        assertEquals("", show(inTxn((t, z) -> z.rangeByScore(b("z"), new ScoreRange(2, false, 1, false), 0, -1, false))));
        assertEquals("pinf=inf", show(inTxn((t, z) -> z.rangeByScore(b("z"),
                new ScoreRange(Double.POSITIVE_INFINITY, false, Double.POSITIVE_INFINITY, false), 0, -1, true))));
        assertEquals(7L, (long) inTxn((t, z) -> z.countByScore(b("z"), all)));
        // The last key of the keyspace: reverse seeks past the end of the column family.
        add("\u00ff\u00ff", 1, "x", 2, "y");
        assertEquals("y=2 x=1", show(inTxn((t, z) -> z.rangeByScore(b("\u00ff\u00ff"), all, 0, -1, true))));
        assertEquals("y=2", show(inTxn((t, z) -> z.rangeByRank(b("\u00ff\u00ff"), 0, 0, true))));
    }

    @Test
    void lexRangesWalkMembers() throws Exception {
        add("z", 0, "a", 0, "b", 0, "ba", 0, "c", 0, "d");
        add("z0", 0, "zz");
        LexRange all = new LexRange(LexRange.MIN, true, LexRange.MAX, true);
        assertEquals("a b ba c d", members(inTxn((t, z) -> z.rangeByLex(b("z"), all, 0, -1, false))));
        assertEquals("d c ba b a", members(inTxn((t, z) -> z.rangeByLex(b("z"), all, 0, -1, true))));
        LexRange bToC = new LexRange(b("b"), false, b("c"), false);
        assertEquals("b ba c", members(inTxn((t, z) -> z.rangeByLex(b("z"), bToC, 0, -1, false))));
        assertEquals("c ba b", members(inTxn((t, z) -> z.rangeByLex(b("z"), bToC, 0, -1, true))));
        LexRange exclusive = new LexRange(b("b"), true, b("c"), true);
        assertEquals("ba", members(inTxn((t, z) -> z.rangeByLex(b("z"), exclusive, 0, -1, false))));
        assertEquals("ba", members(inTxn((t, z) -> z.rangeByLex(b("z"), exclusive, 0, -1, true))));
        assertEquals("b ba", members(inTxn((t, z) -> z.rangeByLex(b("z"), all, 1, 2, false))));
        assertEquals("", members(inTxn((t, z) -> z.rangeByLex(b("z"), new LexRange(LexRange.MAX, true, LexRange.MIN, true), 0, -1, false))));
        assertEquals(3L, (long) inTxn((t, z) -> z.countByLex(b("z"), bToC)));
    }

    private static String members(List<Entry> entries) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(Bytes.str(e.member()));
        }
        return String.join(" ", out);
    }

    @Test
    void popAndRemoveDeleteTheKeyWhenEmptyAndReclaimSubkeys() throws Exception {
        add("z", 1, "a", 2, "b", 3, "c");
        CollectionMetadata m = inTxn((t, z) -> z.metadata(b("z")));
        assertEquals("c=3 b=2", show(inTxn((t, z) -> z.pop(b("z"), 2, true))));
        assertEquals(1L, (long) inTxn((t, z) -> z.card(b("z"))));
        assertEquals("a=1", show(inTxn((t, z) -> z.pop(b("z"), 5, false))));
        assertNull(inTxn((t, z) -> z.metadata(b("z"))));
        byte[] prefix = new KeyCodec(NS).subkeyPrefix(b("z"), m.version());
        assertTrue(scan(ColumnFamily.DEFAULT, prefix).isEmpty());
        assertTrue(scan(ColumnFamily.ZSET_SCORE, prefix).isEmpty());

        add("r", 1, "a", 2, "b");
        assertEquals(1L, (long) inTxn((t, z) -> z.remove(b("r"), List.of(b("a"), b("nope")))));
        assertEquals(1L, (long) inTxn((t, z) -> z.remove(b("r"), List.of(b("b"), b("b")))));
        assertNull(inTxn((t, z) -> z.metadata(b("r"))));
    }

    @Test
    void removeRanges() throws Exception {
        add("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
        assertEquals(2L, (long) inTxn((t, z) -> z.removeRangeByRank(b("z"), -2, -1)));
        assertEquals(1L, (long) inTxn((t, z) -> z.removeRangeByScore(b("z"), new ScoreRange(1, true, 2, false))));
        assertEquals(1L, (long) inTxn((t, z) -> z.removeRangeByLex(b("z"), new LexRange(LexRange.MIN, true, b("b"), true))));
        assertEquals("c=3", show(inTxn((t, z) -> z.all(b("z")))));
        assertEquals(0L, (long) inTxn((t, z) -> z.removeRangeByRank(b("z"), 5, 10)));
        assertEquals(1L, (long) inTxn((t, z) -> z.removeRangeByRank(b("z"), 0, -1)));
        assertNull(inTxn((t, z) -> z.metadata(b("z"))));
    }

    @Test
    void expiredKeyIsReplacedByAFreshVersion() throws Exception {
        add("z", 1, "old");
        long oldVersion = inTxn((t, z) -> {
            Keyspace ks = new Keyspace(t);
            CollectionMetadata m = z.metadata(b("z"));
            ks.putMetadata(b("z"), m.withExpireAtMs(1)); // long past
            return m.version();
        });
        assertNull(inTxn((t, z) -> z.metadata(b("z"))));
        add("z", 2, "new");
        assertEquals("new=2", show(inTxn((t, z) -> z.all(b("z")))));
        byte[] oldPrefix = new KeyCodec(NS).subkeyPrefix(b("z"), oldVersion);
        assertTrue(scan(ColumnFamily.DEFAULT, oldPrefix).isEmpty(), "old version's subkeys reclaimed");
        assertTrue(scan(ColumnFamily.ZSET_SCORE, oldPrefix).isEmpty());
    }

    @Test
    void wrongTypeIsRefused() throws Exception {
        inTxn((t, z) -> {
            new Keyspace(t).putMetadata(b("s"), new StringMetadata(0, b("v")));
            return null;
        });
        ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn((t, z) -> z.card(b("s"))));
        assertEquals(ErrorReply.WRONGTYPE, e.getMessage());
        assertThrows(ErrorReply.class, () -> inTxn((t, z) -> z.source(b("s"))));
    }

    @Test
    void replaceOverwritesAnyTypeAndEmptyDeletes() throws Exception {
        inTxn((t, z) -> {
            new Keyspace(t).putMetadata(b("d"), new StringMetadata(12345, b("v")));
            return null;
        });
        inTxn((t, z) -> {
            z.replace(b("d"), pairs(2, "x", 1, "y"));
            return null;
        });
        assertEquals("y=1 x=2", show(inTxn((t, z) -> z.all(b("d")))));
        assertEquals(0L, (long) inTxn((t, z) -> new Keyspace(t).expireAtMs(b("d"))), "no expiry carried over");
        inTxn((t, z) -> {
            z.replace(b("d"), List.of());
            return null;
        });
        assertNull(inTxn((t, z) -> new Keyspace(t).metadata(b("d"))));
    }

    @Test
    void setsCountAsSourcesWithScoreOne() throws Exception {
        inTxn((t, z) -> new SetType(t).add(b("s"), List.of(b("y"), b("x"))));
        ZSetType.Source s = inTxn((t, z) -> z.source(b("s")));
        assertTrue(s.isSet());
        assertEquals(2, s.size());
        List<Entry> entries = inTxn((t, z) -> z.source(b("s")).entries());
        assertEquals("x=1 y=1", show(entries));
        assertEquals(1.0, inTxn((t, z) -> z.source(b("s")).score(b("y"))));
        assertNull(inTxn((t, z) -> z.source(b("s")).score(b("q"))));
        assertEquals(0L, (long) inTxn((t, z) -> z.source(b("missing")).size()));
    }

    @Test
    void randomMembersDistinctOrRepeating() throws Exception {
        add("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
        for (int round = 0; round < 20; round++) {
            List<Entry> three = inTxn((t, z) -> z.randomMembers(b("z"), 3));
            Set<String> distinct = new HashSet<>();
            for (Entry e : three) {
                distinct.add(Bytes.str(e.member()));
                assertEquals(e.score(), inTxn((t, z) -> z.score(b("z"), e.member())));
            }
            assertEquals(3, distinct.size());
        }
        assertEquals(5, inTxn((t, z) -> z.randomMembers(b("z"), 50)).size());
        Set<String> all = new HashSet<>();
        for (Entry e : inTxn((t, z) -> z.randomMembers(b("z"), 5))) {
            all.add(Bytes.str(e.member()));
        }
        assertEquals(Set.of("a", "b", "c", "d", "e"), all);
        assertEquals(40, inTxn((t, z) -> z.randomMembers(b("z"), -40)).size());
        assertTrue(inTxn((t, z) -> z.randomMembers(b("missing"), -3)).isEmpty());
    }

    @Test
    void scanPagesThroughMembersInOrder() throws Exception {
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            args.add(i);
            args.add(String.format("m%02d", i));
        }
        add("z", args.toArray());
        List<String> seen = new ArrayList<>();
        byte[] after = null;
        int pages = 0;
        do {
            byte[] from = after;
            ScanPage<Entry> page = inTxn((t, z) -> z.scan(b("z"), from, 10, null));
            for (Entry e : page.elements()) {
                seen.add(Bytes.str(e.member()));
            }
            after = page.resumeAfter();
            pages++;
        } while (after != null);
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals("m00", seen.get(0));
        assertEquals("m24", seen.get(24));
        ScanPage<Entry> matching = inTxn((t, z) -> z.scan(b("z"), null, 100, b("m1*")));
        assertEquals(10, matching.elements().size());
        assertNull(matching.resumeAfter());
        assertFalse(inTxn((t, z) -> z.scan(b("z"), null, 24, null)).resumeAfter() == null, "one member left");
    }

    @Test
    void readsSeeTheTxnsOwnWrites() throws Exception {
        String shown = inTxn((t, z) -> {
            z.add(b("z"), pairs(1, "a", 2, "b"), AddOptions.NONE);
            z.add(b("z"), pairs(0.5, "b"), AddOptions.NONE);
            z.remove(b("z"), List.of(b("a")));
            z.add(b("z"), pairs(3, "c"), AddOptions.NONE);
            return show(z.rangeByScore(b("z"), new ScoreRange(0, false, 10, false), 0, -1, true))
                    + "|" + show(z.rangeByRank(b("z"), 0, -1, false)) + "|" + z.card(b("z"));
        });
        assertEquals("c=3 b=0.5|b=0.5 c=3|2", shown);
    }
}
