package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SetType against a real (temporary) RocksDB: encoding, sizes, deletion, random picks, algebra, scans. */
class SetTypeTest {
    private static final String NS = KeyCodec.DEFAULT_NAMESPACE;
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;
    private final Random random = new Random(12345);

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private static List<byte[]> bs(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(b(x));
        }
        return out;
    }

    private static List<String> strs(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] x : l) {
            out.add(Bytes.str(x));
        }
        return out;
    }

    @FunctionalInterface
    private interface TxnOp<T> {
        T run(Txn txn, SetType sets) throws Exception;
    }

    /** Runs ops in one Txn and commits it, as the dispatcher does for one command. */
    private <T> T inTxn(TxnOp<T> op) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            T r = op.run(txn, new SetType(txn, random));
            storage.commit(txn);
            return r;
        }
    }

    private boolean check(TxnOp<Boolean> op) throws Exception {
        return inTxn(op);
    }

    private byte[] rawMetadata(String key) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            return txn.get(ColumnFamily.METADATA, txn.codec().metadataKey(b(key)));
        }
    }

    /** Every subkey stored in the default CF for one key (any version), as the member part after the version. */
    private int subkeyCount(String key) throws Exception {
        try (Txn txn = storage.begin(NS); TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            ByteBuffer p = ByteBuffer.allocate(1 + NS.length() + 4 + key.length());
            p.put((byte) NS.length()).put(b(NS)).putInt(key.length()).put(b(key));
            byte[] prefix = p.array();
            int n = 0;
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                n++;
            }
            return n;
        }
    }

    private void fill(String key, int n) throws Exception {
        inTxn((txn, s) -> {
            List<byte[]> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                members.add(b("m" + i));
            }
            return s.add(b(key), members);
        });
    }

    @Test
    void addWritesKvrocksSetEncoding() throws Exception {
        assertEquals(2L, (long) inTxn((txn, s) -> s.add(b("k"), bs("a", "b", "a"))));
        byte[] raw = rawMetadata("k");
        assertEquals(1 + 8 + 8 + 8, raw.length);
        assertEquals((byte) 0x84, raw[0]);
        ByteBuffer buf = ByteBuffer.wrap(raw, 1, raw.length - 1);
        assertEquals(0, buf.getLong()); // no expiry
        long version = buf.getLong();
        assertEquals(2, buf.getLong()); // size
        try (Txn txn = storage.begin(NS)) {
            byte[] sub = txn.get(ColumnFamily.DEFAULT, txn.codec().subkey(b("k"), version, b("a")));
            assertArrayEquals(new byte[0], sub);
            // The subkey layout itself: [ns_len][ns][key_len u32][key][version u64][member].
            ByteBuffer expected = ByteBuffer.allocate(1 + NS.length() + 4 + 1 + 8 + 1);
            expected.put((byte) NS.length()).put(b(NS)).putInt(1).put(b("k")).putLong(version).put(b("b"));
            assertArrayEquals(new byte[0], txn.get(ColumnFamily.DEFAULT, expected.array()));
        }
    }

    @Test
    void addAndRemoveKeepTheSizeAndRemovingTheLastMemberDeletesEverything() throws Exception {
        inTxn((txn, s) -> s.add(b("k"), bs("a", "b", "c")));
        assertEquals(1L, (long) inTxn((txn, s) -> s.add(b("k"), bs("c", "d"))));
        assertEquals(4L, (long) inTxn((txn, s) -> s.card(b("k"))));
        assertEquals(2L, (long) inTxn((txn, s) -> s.remove(b("k"), bs("a", "zz", "b", "a"))));
        assertEquals(2L, (long) inTxn((txn, s) -> s.card(b("k"))));
        assertEquals(List.of("c", "d"), strs(inTxn((txn, s) -> s.members(b("k")))));
        assertEquals(2L, (long) inTxn((txn, s) -> s.remove(b("k"), bs("c", "d"))));
        assertNull(rawMetadata("k"));
        assertEquals(0, subkeyCount("k"));
        assertEquals(0L, (long) inTxn((txn, s) -> s.remove(b("k"), bs("c"))));
    }

    @Test
    void membershipAndMissingKeys() throws Exception {
        inTxn((txn, s) -> s.add(b("k"), bs("a", "b")));
        assertTrue(check((txn, s) -> s.isMember(b("k"), b("a"))));
        assertFalse(check((txn, s) -> s.isMember(b("k"), b("z"))));
        assertFalse(check((txn, s) -> s.isMember(b("nokey"), b("a"))));
        assertArrayEquals(new boolean[] {true, false, true},
                inTxn((txn, s) -> s.areMembers(b("k"), bs("a", "z", "b"))));
        assertArrayEquals(new boolean[] {false, false}, inTxn((txn, s) -> s.areMembers(b("nokey"), bs("a", "b"))));
        assertEquals(0L, (long) inTxn((txn, s) -> s.card(b("nokey"))));
        assertNull(inTxn((txn, s) -> s.randomMember(b("nokey"))));
        assertNull(inTxn((txn, s) -> s.pop(b("nokey"))));
        assertEquals(List.of(), inTxn((txn, s) -> s.pop(b("nokey"), 3)));
        assertEquals(List.of(), inTxn((txn, s) -> s.randomMembers(b("nokey"), -3)));
    }

    @Test
    void otherTypesAreWrongType() throws Exception {
        inTxn((txn, s) -> {
            new StringType(txn).set(b("str"), b("v"), 0);
            return null;
        });
        for (TxnOp<?> op : List.<TxnOp<?>>of(
                (txn, s) -> s.add(b("str"), bs("a")), (txn, s) -> s.remove(b("str"), bs("a")),
                (txn, s) -> s.card(b("str")), (txn, s) -> s.isMember(b("str"), b("a")),
                (txn, s) -> s.randomMembers(b("str"), 2), (txn, s) -> s.pop(b("str")),
                (txn, s) -> s.inter(bs("nokey", "str")), (txn, s) -> s.union(bs("str")),
                (txn, s) -> s.diff(bs("nokey", "str")), (txn, s) -> s.interCard(bs("str"), 0))) {
            ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn(op));
            assertEquals(ErrorReply.WRONGTYPE, e.getMessage());
        }
        // SMOVE from a missing source answers 0 before looking at the destination's type.
        assertFalse(check((txn, s) -> s.move(b("nokey"), b("str"), b("a"))));
        inTxn((txn, s) -> s.add(b("k"), bs("a")));
        assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.move(b("k"), b("str"), b("a"))));
    }

    @Test
    void addOverAnExpiredSetStartsAFreshVersionAndReclaimsTheOldMembers() throws Exception {
        inTxn((txn, s) -> s.add(b("k"), bs("old1", "old2", "old3")));
        long oldVersion = ((CollectionMetadata) Metadata.decode(rawMetadata("k"))).version();
        inTxn((txn, s) -> {
            Keyspace ks = new Keyspace(txn);
            ks.putMetadata(b("k"), ks.metadata(b("k")).withExpireAtMs(txn.nowMs() - 1000));
            return null;
        });
        assertEquals(0L, (long) inTxn((txn, s) -> s.card(b("k"))));
        assertFalse(check((txn, s) -> s.isMember(b("k"), b("old1"))));
        assertEquals(1L, (long) inTxn((txn, s) -> s.add(b("k"), bs("old1"))));
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(rawMetadata("k"));
        assertNotEquals(oldVersion, m.version());
        assertEquals(1, m.size());
        assertEquals(0, m.expireAtMs());
        assertEquals(List.of("old1"), strs(inTxn((txn, s) -> s.members(b("k")))));
        assertEquals(1, subkeyCount("k"));
    }

    @Test
    void readsSeeEarlierWritesOfTheSameTxn() throws Exception {
        inTxn((txn, s) -> {
            s.add(b("k"), bs("b", "a"));
            s.add(b("k"), bs("c"));
            s.remove(b("k"), bs("b"));
            assertEquals(List.of("a", "c"), strs(s.members(b("k"))));
            assertEquals(List.of("a", "c"), strs(s.union(bs("k", "k2", "nokey"))));
            s.store(b("k2"), bs("x"));
            assertEquals(List.of("a", "c", "x"), strs(s.union(bs("k", "k2"))));
            return null;
        });
    }

    @Test
    void srandmemberWithPositiveCountGivesDistinctMembersOfTheSet() throws Exception {
        fill("k", 50);
        Set<String> all = new HashSet<>(strs(inTxn((txn, s) -> s.members(b("k")))));
        // Small and large counts: the selection walk stops early or runs nearly to the end.
        for (int count : new int[] {1, 10, 25, 26, 40, 49}) {
            for (int round = 0; round < 20; round++) {
                List<String> picked = strs(inTxn((txn, s) -> s.randomMembers(b("k"), count)));
                assertEquals(count, picked.size());
                assertEquals(count, new HashSet<>(picked).size(), "distinct");
                assertTrue(all.containsAll(picked));
            }
        }
        assertEquals(all, new HashSet<>(strs(inTxn((txn, s) -> s.randomMembers(b("k"), 50)))));
        assertEquals(50, inTxn((txn, s) -> s.randomMembers(b("k"), Long.MAX_VALUE)).size());
        assertEquals(50L, (long) inTxn((txn, s) -> s.card(b("k"))));
    }

    @Test
    void srandmemberPicksAreRoughlyUniform() throws Exception {
        fill("k", 20);
        Map<String, Integer> single = new HashMap<>();
        Map<String, Integer> negative = new HashMap<>();
        Map<String, Integer> distinct = new HashMap<>();
        Map<String, Integer> fewDistinct = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            single.merge(Bytes.str(inTxn((txn, s) -> s.randomMember(b("k")))), 1, Integer::sum);
        }
        for (int i = 0; i < 400; i++) {
            for (String m : strs(inTxn((txn, s) -> s.randomMembers(b("k"), -10)))) {
                negative.merge(m, 1, Integer::sum);
            }
            for (String m : strs(inTxn((txn, s) -> s.randomMembers(b("k"), 15)))) {
                distinct.merge(m, 1, Integer::sum);
            }
            for (int r = 0; r < 5; r++) {
                for (String m : strs(inTxn((txn, s) -> s.randomMembers(b("k"), 2)))) {
                    fewDistinct.merge(m, 1, Integer::sum);
                }
            }
        }
        // Expected 200 each (3000 for the 15-of-20 picks); the seed is fixed, the bounds are loose.
        for (Map<String, Integer> counts : List.of(single, negative, fewDistinct)) {
            assertEquals(20, counts.size());
            counts.values().forEach(n -> assertTrue(n > 120 && n < 280, counts.toString()));
        }
        assertEquals(20, distinct.size());
        distinct.values().forEach(n -> assertTrue(n > 260 && n < 340, distinct.toString()));
    }

    @Test
    void srandmemberWithNegativeCountMayRepeatAndComesInRandomOrder() throws Exception {
        inTxn((txn, s) -> s.add(b("one"), bs("x")));
        assertEquals(List.of("x", "x", "x", "x", "x"), strs(inTxn((txn, s) -> s.randomMembers(b("one"), -5))));
        fill("k", 100);
        // Fewer picks than members: the sorted-positions walk, then shuffled.
        List<String> picks = strs(inTxn((txn, s) -> s.randomMembers(b("k"), -30)));
        assertEquals(30, picks.size());
        List<String> sorted = new ArrayList<>(picks);
        sorted.sort(null);
        assertNotEquals(sorted, picks);
        // More picks than members: repeats are certain.
        List<String> many = strs(inTxn((txn, s) -> s.randomMembers(b("k"), -300)));
        assertEquals(300, many.size());
        assertTrue(new HashSet<>(many).size() < 300);
    }

    @Test
    void randomPicksAreBoundedByWhatOneReplyMayHold() throws Exception {
        inTxn((txn, s) -> s.add(b("one"), bs("x")));
        ErrorReply e = assertThrows(ErrorReply.class,
                () -> inTxn((txn, s) -> s.randomMembers(b("one"), -(SetType.MAX_RANDOM_PICKS + 1))));
        assertTrue(e.getMessage().startsWith("ERR count is too large"), e.getMessage());
        // A positive count beyond the set's size is just the whole set.
        assertEquals(List.of("x"), strs(inTxn((txn, s) -> s.randomMembers(b("one"), Long.MAX_VALUE))));
        assertEquals(List.of("x"), strs(inTxn((txn, s) -> s.pop(b("one"), Long.MAX_VALUE))));
    }

    @Test
    void spopRemovesWhatItReturns() throws Exception {
        fill("k", 30);
        Set<String> remaining = new TreeSet<>(strs(inTxn((txn, s) -> s.members(b("k")))));
        String one = Bytes.str(inTxn((txn, s) -> s.pop(b("k"))));
        assertTrue(remaining.remove(one));
        for (int count : new int[] {3, 20}) {
            List<String> popped = strs(inTxn((txn, s) -> s.pop(b("k"), count)));
            assertEquals(count, popped.size());
            assertEquals(count, new HashSet<>(popped).size());
            for (String p : popped) {
                assertTrue(remaining.remove(p), p);
            }
            assertEquals(remaining, new TreeSet<>(strs(inTxn((txn, s) -> s.members(b("k"))))));
            assertEquals((long) remaining.size(), (long) inTxn((txn, s) -> s.card(b("k"))));
        }
        List<String> rest = strs(inTxn((txn, s) -> s.pop(b("k"), 100)));
        assertEquals(remaining, new TreeSet<>(rest));
        assertNull(rawMetadata("k"));
        assertEquals(0, subkeyCount("k"));
    }

    @Test
    void spopOneByOneEmptiesTheSetThenDeletesTheKey() throws Exception {
        fill("k", 10);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            assertTrue(seen.add(Bytes.str(inTxn((txn, s) -> s.pop(b("k"))))));
        }
        assertEquals(10, seen.size());
        assertNull(rawMetadata("k"));
        assertNull(inTxn((txn, s) -> s.pop(b("k"))));
    }

    @Test
    void moveBetweenSets() throws Exception {
        inTxn((txn, s) -> s.add(b("src"), bs("a", "b")));
        inTxn((txn, s) -> s.add(b("dst"), bs("b")));
        assertTrue(check((txn, s) -> s.move(b("src"), b("dst"), b("a"))));
        assertFalse(check((txn, s) -> s.move(b("src"), b("dst"), b("a"))));
        assertTrue(check((txn, s) -> s.move(b("src"), b("dst"), b("b")))); // already there: still moved
        assertNull(rawMetadata("src"));
        assertEquals(0, subkeyCount("src"));
        assertEquals(List.of("a", "b"), strs(inTxn((txn, s) -> s.members(b("dst")))));
        assertEquals(2L, (long) inTxn((txn, s) -> s.card(b("dst"))));
        assertTrue(check((txn, s) -> s.move(b("dst"), b("dst"), b("a"))));
        assertFalse(check((txn, s) -> s.move(b("dst"), b("dst"), b("zz"))));
        assertTrue(check((txn, s) -> s.move(b("dst"), b("fresh"), b("a"))));
        assertEquals(List.of("a"), strs(inTxn((txn, s) -> s.members(b("fresh")))));
    }

    @Test
    void algebraAndStore() throws Exception {
        inTxn((txn, s) -> {
            s.add(b("k1"), bs("a", "b", "c", "d"));
            s.add(b("k2"), bs("c", "d", "e"));
            s.add(b("k3"), bs("a", "c", "e", "f"));
            return null;
        });
        assertEquals(List.of("c", "d"), strs(inTxn((txn, s) -> s.inter(bs("k1", "k2")))));
        assertEquals(List.of("c"), strs(inTxn((txn, s) -> s.inter(bs("k1", "k2", "k3")))));
        assertEquals(List.of(), strs(inTxn((txn, s) -> s.inter(bs("k1", "nokey")))));
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), strs(inTxn((txn, s) -> s.union(bs("k1", "k2", "k3", "k1")))));
        assertEquals(List.of("a", "b"), strs(inTxn((txn, s) -> s.diff(bs("k1", "k2", "nokey")))));
        assertEquals(List.of("b"), strs(inTxn((txn, s) -> s.diff(bs("k1", "k2", "k3")))));
        assertEquals(2L, (long) inTxn((txn, s) -> s.interCard(bs("k1", "k2"), 0)));
        assertEquals(1L, (long) inTxn((txn, s) -> s.interCard(bs("k1", "k2"), 1)));
        assertEquals(2L, (long) inTxn((txn, s) -> s.interCard(bs("k1", "k2"), 5)));

        // Store over a string with a TTL: replaced by a set without TTL.
        inTxn((txn, s) -> {
            new StringType(txn).set(b("dest"), b("v"), txn.nowMs() + 100_000);
            return null;
        });
        assertEquals(6L, (long) inTxn((txn, s) -> s.store(b("dest"), s.union(bs("k1", "k2", "k3")))));
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(rawMetadata("dest"));
        assertEquals(SetType.TYPE, m.type());
        assertEquals(0, m.expireAtMs());
        assertEquals(6, m.size());
        // Storing into a source replaces it with a new version; the old members are reclaimed.
        assertEquals(2L, (long) inTxn((txn, s) -> s.store(b("k1"), s.inter(bs("k1", "k2")))));
        assertEquals(List.of("c", "d"), strs(inTxn((txn, s) -> s.members(b("k1")))));
        assertEquals(2, subkeyCount("k1"));
        // An empty result deletes the destination.
        assertEquals(0L, (long) inTxn((txn, s) -> s.store(b("dest"), s.inter(bs("k1", "nokey")))));
        assertNull(rawMetadata("dest"));
        assertEquals(0, subkeyCount("dest"));
    }

    @Test
    void scanPagesThroughEveryMemberOnce() throws Exception {
        fill("k", 1000);
        List<String> seen = new ArrayList<>();
        byte[] after = null;
        int pages = 0;
        do {
            byte[] from = after;
            ScanPage<byte[]> page = inTxn((txn, s) -> s.scan(b("k"), from, 7, null));
            assertTrue(page.elements().size() <= 7);
            seen.addAll(strs(page.elements()));
            after = page.resumeAfter();
            pages++;
        } while (after != null);
        assertEquals(1000, seen.size());
        assertEquals(1000, new HashSet<>(seen).size());
        assertEquals(143, pages); // 142 full pages and a last one of 6, which knows it is the last
        ScanPage<byte[]> matched = inTxn((txn, s) -> s.scan(b("k"), null, 2000, b("m99*")));
        assertEquals(List.of("m99", "m990", "m991", "m992", "m993", "m994", "m995", "m996", "m997", "m998", "m999"),
                strs(matched.elements()));
        assertNull(matched.resumeAfter());
        // Resuming after a member that has since been removed continues with the next one.
        inTxn((txn, s) -> s.remove(b("k"), bs("m500")));
        ScanPage<byte[]> resumed = inTxn((txn, s) -> s.scan(b("k"), b("m500"), 2, null));
        assertEquals(List.of("m501", "m502"), strs(resumed.elements()));
    }

    @Test
    void membersStreamsInByteOrder() throws Exception {
        inTxn((txn, s) -> s.add(b("k"), List.of(new byte[] {(byte) 0xff}, b(""), b("a"), new byte[] {0}, b("B"))));
        List<byte[]> streamed = new ArrayList<>();
        long n = inTxn((txn, s) -> s.members(b("k"), s.metadata(b("k")), m -> streamed.add(m)));
        assertEquals(5, n);
        assertArrayEquals(b(""), streamed.get(0));
        assertArrayEquals(new byte[] {0}, streamed.get(1));
        assertArrayEquals(b("B"), streamed.get(2));
        assertArrayEquals(b("a"), streamed.get(3));
        assertArrayEquals(new byte[] {(byte) 0xff}, streamed.get(4));
    }
}
