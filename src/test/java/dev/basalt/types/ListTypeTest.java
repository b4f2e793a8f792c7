package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ListType against a real (temporary) RocksDB: Kvrocks's head/tail layout pinned byte for byte, the
 * shifting of LREM/LINSERT on either side, and a randomized comparison with an in-memory list that
 * also checks after every step that the stored indexes are exactly [head, tail).
 */
class ListTypeTest {
    private static final String NS = KeyCodec.DEFAULT_NAMESPACE;
    private static final long INITIAL = Long.MAX_VALUE; // 2^63 - 1
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() {
        storage = temp.storage();
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private static List<byte[]> bs(String... items) {
        List<byte[]> out = new ArrayList<>();
        for (String s : items) {
            out.add(b(s));
        }
        return out;
    }

    private static List<String> strs(List<byte[]> items) {
        List<String> out = new ArrayList<>();
        for (byte[] x : items) {
            out.add(Bytes.str(x));
        }
        return out;
    }

    @FunctionalInterface
    private interface TxnOp<T> {
        T run(Txn txn, ListType lists) throws Exception;
    }

    /** Runs ops in one Txn and commits it, as the dispatcher does for one command. */
    private <T> T inTxn(TxnOp<T> op) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            T r = op.run(txn, new ListType(txn));
            storage.commit(txn);
            return r;
        }
    }

    private ListMetadata meta(String key) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            byte[] raw = txn.get(ColumnFamily.METADATA, txn.codec().metadataKey(b(key)));
            return raw == null ? null : (ListMetadata) Metadata.decode(raw);
        }
    }

    /** Every stored element of the key's current version as index -> value, in storage order. */
    private List<long[]> storedIndexes(String key, long version) {
        List<long[]> out = new ArrayList<>();
        try (Txn txn = storage.begin(NS); TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] prefix = txn.codec().subkeyPrefix(b(key), version);
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                out.add(new long[] {ByteBuffer.wrap(it.key(), prefix.length, 8).getLong()});
            }
        }
        return out;
    }

    /** Any subkey of any version of the key left in the default column family. */
    private int subkeysOfAnyVersion(String key) throws Exception {
        int n = 0;
        try (Txn txn = storage.begin(NS); TxnIterator it = txn.iterator(ColumnFamily.DEFAULT)) {
            byte[] keyPart = ByteBuffer.allocate(4 + b(key).length).putInt(b(key).length).put(b(key)).array();
            byte[] prefix = new byte[txn.codec().metadataPrefix().length + keyPart.length];
            System.arraycopy(txn.codec().metadataPrefix(), 0, prefix, 0, txn.codec().metadataPrefix().length);
            System.arraycopy(keyPart, 0, prefix, txn.codec().metadataPrefix().length, keyPart.length);
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                n++;
            }
        }
        return n;
    }

    /** The invariant every list keeps: size == tail - head and the stored indexes are exactly [head, tail). */
    private void assertContiguous(String key, int expectedSize) throws Exception {
        ListMetadata m = meta(key);
        if (expectedSize == 0) {
            assertNull(m, "an emptied list is deleted");
            assertEquals(0, subkeysOfAnyVersion(key), "no subkeys left behind");
            return;
        }
        assertEquals(expectedSize, m.size());
        assertEquals(expectedSize, m.tail() - m.head());
        List<long[]> idx = storedIndexes(key, m.version());
        assertEquals(expectedSize, idx.size(), "stored elements");
        for (int i = 0; i < idx.size(); i++) {
            assertEquals(m.head() + i, idx.get(i)[0], "element " + i + " index");
        }
    }

    @Test
    void layoutMatchesKvrocks() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("r1", "r2"), false, true));
        inTxn((t, l) -> l.push(b("k"), bs("l1"), true, true));
        ListMetadata m = meta("k");
        assertEquals(ListType.TYPE, m.type());
        // head is the first element, tail one past the last: RPUSH wrote at 2^63-1 and 2^63, LPUSH at 2^63-2.
        assertEquals(INITIAL - 1, m.head());
        assertEquals(INITIAL + 2, m.tail());
        assertEquals(3, m.size());
        // Metadata value: flags 0x83 | expire 0 | version | size 3 | head | tail.
        String hex = HexFormat.of().formatHex(m.encode());
        assertEquals("83" + "0000000000000000" + String.format("%016x", m.version()) + "0000000000000003"
                + "7ffffffffffffffe" + "8000000000000001", hex);
        try (Txn txn = storage.begin(NS)) {
            byte[] ns = b(NS);
            // subkey = ns_len | ns | key_len u32 | key | version u64 | index u64
            String prefix = String.format("%02x", ns.length) + HexFormat.of().formatHex(ns) + "00000001" + "6b"
                    + String.format("%016x", m.version());
            assertArrayEquals(b("l1"), txn.get(ColumnFamily.DEFAULT, HexFormat.of().parseHex(prefix + "7ffffffffffffffe")));
            assertArrayEquals(b("r1"), txn.get(ColumnFamily.DEFAULT, HexFormat.of().parseHex(prefix + "7fffffffffffffff")));
            assertArrayEquals(b("r2"), txn.get(ColumnFamily.DEFAULT, HexFormat.of().parseHex(prefix + "8000000000000000")));
        }
        assertEquals(List.of("l1", "r1", "r2"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertContiguous("k", 3);
    }

    @Test
    void pushPopAndEmptyDeletesKey() throws Exception {
        assertEquals(0L, (long) inTxn((t, l) -> l.push(b("k"), bs("a"), true, false)), "LPUSHX on a missing key");
        assertNull(meta("k"));
        assertEquals(3L, (long) inTxn((t, l) -> l.push(b("k"), bs("a", "b", "c"), true, true)));
        assertEquals(List.of("c", "b", "a"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertEquals(List.of("a", "b"), strs(inTxn((t, l) -> l.pop(b("k"), false, 2))));
        assertContiguous("k", 1);
        assertEquals(List.of("c"), strs(inTxn((t, l) -> l.pop(b("k"), true, 10))));
        assertContiguous("k", 0);
        assertNull(inTxn((t, l) -> l.pop(b("k"), true, 1)));
    }

    @Test
    void indexAndSetReadOneSubkey() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("a", "b", "c"), false, true));
        assertArrayEquals(b("a"), inTxn((t, l) -> l.index(b("k"), 0)));
        assertArrayEquals(b("c"), inTxn((t, l) -> l.index(b("k"), -1)));
        assertNull(inTxn((t, l) -> l.index(b("k"), 3)));
        assertNull(inTxn((t, l) -> l.index(b("k"), -4)));
        inTxn((t, l) -> {
            l.set(b("k"), -2, b("B"));
            return null;
        });
        assertEquals(List.of("a", "B", "c"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        ErrorReply range = assertThrows(ErrorReply.class, () -> inTxn((t, l) -> {
            l.set(b("k"), 3, b("x"));
            return null;
        }));
        assertEquals("ERR index out of range", range.getMessage());
        ErrorReply missing = assertThrows(ErrorReply.class, () -> inTxn((t, l) -> {
            l.set(b("nope"), 0, b("x"));
            return null;
        }));
        assertEquals("ERR no such key", missing.getMessage());
    }

    @Test
    void wrongTypeIsRefused() throws Exception {
        inTxn((t, l) -> {
            new Keyspace(t).putMetadata(b("s"), new StringMetadata(0, b("v")));
            return null;
        });
        for (TxnOp<?> op : List.<TxnOp<?>>of(
                (t, l) -> l.push(b("s"), bs("a"), true, true),
                (t, l) -> l.pop(b("s"), true, 1),
                (t, l) -> l.length(b("s")),
                (t, l) -> l.range(b("s"), 0, -1),
                (t, l) -> l.move(b("s"), b("d"), true, true))) {
            ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn(op));
            assertEquals(ErrorReply.WRONGTYPE, e.getMessage());
        }
    }

    @Test
    void removeShiftsTheShorterSide() throws Exception {
        // x near the tail: the right part (shorter) slides left and the head stays.
        inTxn((t, l) -> l.push(b("r"), bs("a", "b", "c", "d", "x", "e", "x"), false, true));
        long headBefore = meta("r").head();
        assertEquals(2L, (long) inTxn((t, l) -> l.remove(b("r"), 0, b("x"))));
        assertEquals(headBefore, meta("r").head());
        assertEquals(List.of("a", "b", "c", "d", "e"), strs(inTxn((t, l) -> l.range(b("r"), 0, -1))));
        assertContiguous("r", 5);

        // x near the head: the left part slides right and the tail stays.
        inTxn((t, l) -> l.push(b("l"), bs("x", "a", "x", "b", "c", "d", "e"), false, true));
        long tailBefore = meta("l").tail();
        assertEquals(2L, (long) inTxn((t, l) -> l.remove(b("l"), 2, b("x"))));
        assertEquals(tailBefore, meta("l").tail());
        assertEquals(List.of("a", "b", "c", "d", "e"), strs(inTxn((t, l) -> l.range(b("l"), 0, -1))));
        assertContiguous("l", 5);

        // Negative count removes from the tail.
        inTxn((t, l) -> l.push(b("n"), bs("x", "a", "x", "b", "x"), false, true));
        assertEquals(2L, (long) inTxn((t, l) -> l.remove(b("n"), -2, b("x"))));
        assertEquals(List.of("x", "a", "b"), strs(inTxn((t, l) -> l.range(b("n"), 0, -1))));
        assertContiguous("n", 3);

        // Removing every element deletes the key.
        assertEquals(1L, (long) inTxn((t, l) -> l.remove(b("n"), 0, b("x"))));
        inTxn((t, l) -> l.remove(b("n"), 0, b("a")));
        assertEquals(1L, (long) inTxn((t, l) -> l.remove(b("n"), Long.MIN_VALUE, b("b"))));
        assertContiguous("n", 0);
    }

    @Test
    void insertShiftsTheShorterSide() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("a", "b", "c", "d", "e"), false, true));
        ListMetadata before = meta("k");
        assertEquals(6L, (long) inTxn((t, l) -> l.insert(b("k"), true, b("b"), b("X"))));
        ListMetadata after = meta("k");
        assertEquals(before.head() - 1, after.head(), "near the head: the left part moved");
        assertEquals(before.tail(), after.tail());
        assertEquals(7L, (long) inTxn((t, l) -> l.insert(b("k"), false, b("d"), b("Y"))));
        assertEquals(after.tail() + 1, meta("k").tail(), "near the tail: the right part moved");
        assertEquals(List.of("a", "X", "b", "c", "d", "Y", "e"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertContiguous("k", 7);
        assertEquals(-1L, (long) inTxn((t, l) -> l.insert(b("k"), true, b("zz"), b("Q"))));
        assertEquals(0L, (long) inTxn((t, l) -> l.insert(b("none"), true, b("a"), b("Q"))));
        assertEquals(8L, (long) inTxn((t, l) -> l.insert(b("k"), true, b("a"), b("first"))));
        assertEquals(9L, (long) inTxn((t, l) -> l.insert(b("k"), false, b("e"), b("last"))));
        assertEquals(List.of("first", "a", "X", "b", "c", "d", "Y", "e", "last"),
                strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertContiguous("k", 9);
    }

    @Test
    void trimDeletesTheEnds() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("0", "1", "2", "3", "4", "5"), false, true));
        inTxn((t, l) -> {
            l.trim(b("k"), 1, -2);
            return null;
        });
        assertEquals(List.of("1", "2", "3", "4"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertContiguous("k", 4);
        inTxn((t, l) -> {
            l.trim(b("k"), 5, 10);
            return null;
        });
        assertContiguous("k", 0);
    }

    @Test
    void moveBetweenListsAndOntoItself() throws Exception {
        inTxn((t, l) -> l.push(b("src"), bs("a", "b", "c"), false, true));
        assertArrayEquals(b("c"), inTxn((t, l) -> l.move(b("src"), b("dst"), false, true)));
        assertArrayEquals(b("a"), inTxn((t, l) -> l.move(b("src"), b("src"), true, false)));
        assertEquals(List.of("b", "a"), strs(inTxn((t, l) -> l.range(b("src"), 0, -1))));
        assertContiguous("src", 2);
        assertArrayEquals(b("a"), inTxn((t, l) -> l.move(b("src"), b("src"), false, true)));
        assertEquals(List.of("a", "b"), strs(inTxn((t, l) -> l.range(b("src"), 0, -1))));
        assertContiguous("src", 2);
        inTxn((t, l) -> l.move(b("src"), b("dst"), true, false));
        inTxn((t, l) -> l.move(b("src"), b("dst"), true, false));
        assertContiguous("src", 0);
        assertEquals(List.of("c", "a", "b"), strs(inTxn((t, l) -> l.range(b("dst"), 0, -1))));
        assertNull(inTxn((t, l) -> l.move(b("src"), b("dst"), true, false)));
    }

    @Test
    void positionsFollowRedisRules() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("a", "b", "a", "c", "a"), false, true));
        assertEquals(List.of(0L), inTxn((t, l) -> l.positions(b("k"), b("a"), 1, -1, 0)));
        assertEquals(List.of(2L), inTxn((t, l) -> l.positions(b("k"), b("a"), 2, -1, 0)));
        assertEquals(List.of(4L, 2L), inTxn((t, l) -> l.positions(b("k"), b("a"), -1, 2, 0)));
        assertEquals(List.of(2L), inTxn((t, l) -> l.positions(b("k"), b("a"), 2, 0, 3)));
        assertEquals(List.of(), inTxn((t, l) -> l.positions(b("k"), b("a"), -2, -1, 2)));
        assertEquals(List.of(4L, 2L, 0L), inTxn((t, l) -> l.positions(b("k"), b("a"), Long.MIN_VALUE, 0, 0)));
        assertNull(inTxn((t, l) -> l.positions(b("none"), b("a"), 1, -1, 0)));
    }

    @Test
    void aWholeTransactionSeesItsOwnWrites() throws Exception {
        // Several operations in one Txn (as in EXEC), read back before the commit.
        inTxn((t, l) -> {
            l.push(b("k"), bs("a", "b", "c", "d"), false, true);
            l.remove(b("k"), 0, b("b"));
            l.insert(b("k"), true, b("d"), b("x"));
            assertEquals(List.of("a", "c", "x", "d"), strs(l.range(b("k"), 0, -1)));
            l.trim(b("k"), 10, 20);
            assertEquals(0, l.length(b("k")));
            l.push(b("k"), bs("new"), true, true);
            return null;
        });
        assertEquals(List.of("new"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
        assertContiguous("k", 1);
    }

    @Test
    void expiredListIsReplacedAndItsSubkeysReclaimed() throws Exception {
        inTxn((t, l) -> l.push(b("k"), bs("old1", "old2"), false, true));
        long oldVersion = meta("k").version();
        inTxn((t, l) -> {
            new Keyspace(t).putMetadata(b("k"), l.metadata(b("k")).withExpireAtMs(1));
            return null;
        });
        assertEquals(0L, (long) inTxn((t, l) -> l.length(b("k"))));
        assertEquals(1L, (long) inTxn((t, l) -> l.push(b("k"), bs("new"), false, true)));
        assertTrue(meta("k").version() != oldVersion);
        assertEquals(0, storedIndexes("k", oldVersion).size(), "old version's subkeys reclaimed");
        assertEquals(List.of("new"), strs(inTxn((t, l) -> l.range(b("k"), 0, -1))));
    }

    @Test
    void randomOperationsMatchAnInMemoryList() throws Exception {
        Random rnd = new Random(20240607);
        List<String> model = new ArrayList<>();
        String[] values = {"a", "b", "c", "d"};
        for (int step = 0; step < 1500; step++) {
            String v = values[rnd.nextInt(values.length)];
            int op = rnd.nextInt(9);
            switch (op) {
                case 0 -> {
                    inTxn((t, l) -> l.push(b("k"), bs(v), true, true));
                    model.add(0, v);
                }
                case 1, 2 -> {
                    inTxn((t, l) -> l.push(b("k"), bs(v, v + v), false, true));
                    model.add(v);
                    model.add(v + v);
                }
                case 3 -> {
                    int n = 1 + rnd.nextInt(3);
                    boolean left = rnd.nextBoolean();
                    List<byte[]> got = inTxn((t, l) -> l.pop(b("k"), left, n));
                    List<String> want = new ArrayList<>();
                    for (int i = 0; i < n && !model.isEmpty(); i++) {
                        want.add(left ? model.remove(0) : model.remove(model.size() - 1));
                    }
                    assertEquals(want.isEmpty() ? null : want, got == null ? null : strs(got), "pop at step " + step);
                }
                case 4 -> {
                    long count = rnd.nextInt(5) - 2;
                    long got = inTxn((t, l) -> l.remove(b("k"), count, b(v)));
                    int removed = 0;
                    if (count >= 0) {
                        for (int i = 0; i < model.size() && (count == 0 || removed < count); ) {
                            if (model.get(i).equals(v)) {
                                model.remove(i);
                                removed++;
                            } else {
                                i++;
                            }
                        }
                    } else {
                        for (int i = model.size() - 1; i >= 0 && removed < -count; i--) {
                            if (model.get(i).equals(v)) {
                                model.remove(i);
                                removed++;
                            }
                        }
                    }
                    assertEquals(removed, got, "lrem at step " + step);
                }
                case 5 -> {
                    boolean before = rnd.nextBoolean();
                    String pivot = values[rnd.nextInt(values.length)];
                    long got = inTxn((t, l) -> l.insert(b("k"), before, b(pivot), b(v)));
                    int at = model.indexOf(pivot);
                    long want = model.isEmpty() ? 0 : at < 0 ? -1 : model.size() + 1;
                    if (at >= 0) {
                        model.add(before ? at : at + 1, v);
                    }
                    assertEquals(want, got, "linsert at step " + step);
                }
                case 6 -> {
                    long start = rnd.nextInt(7) - 3;
                    long stop = rnd.nextInt(9) - 3;
                    inTxn((t, l) -> {
                        l.trim(b("k"), start, stop);
                        return null;
                    });
                    IndexRange span = IndexRange.clamp(model.size(), start, stop);
                    List<String> kept = span == null ? List.of()
                            : new ArrayList<>(model.subList((int) span.start(), (int) span.stop() + 1));
                    model.clear();
                    model.addAll(kept);
                }
                case 7 -> {
                    if (!model.isEmpty()) {
                        int i = rnd.nextInt(model.size());
                        inTxn((t, l) -> {
                            l.set(b("k"), i, b(v + "!"));
                            return null;
                        });
                        model.set(i, v + "!");
                    }
                }
                default -> {
                    boolean from = rnd.nextBoolean();
                    boolean to = rnd.nextBoolean();
                    byte[] got = inTxn((t, l) -> l.move(b("k"), b("k"), from, to));
                    if (model.isEmpty()) {
                        assertNull(got);
                    } else {
                        String e = from ? model.remove(0) : model.remove(model.size() - 1);
                        assertEquals(e, Bytes.str(got));
                        if (to) {
                            model.add(0, e);
                        } else {
                            model.add(e);
                        }
                    }
                }
            }
            assertEquals(model, strs(inTxn((t, l) -> l.range(b("k"), 0, -1))), "contents after step " + step);
            assertContiguous("k", model.size());
        }
    }
}
