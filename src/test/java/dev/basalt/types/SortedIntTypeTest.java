package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kvrocks's sorted integers on disk (redis_sortedint.cc), pinned with hand-computed bytes, and their ranges. */
class SortedIntTypeTest {
    private static final String NS = KeyspaceFixtures.NS;
    private static final HexFormat HEX = HexFormat.of();

    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() {
        storage = temp.storage();
    }

    private interface Op<T> {
        T run(SortedIntType si, Txn txn) throws Exception;
    }

    private <T> T inTxn(Op<T> op) throws Exception {
        return KeyspaceFixtures.commit(storage, t -> op.run(new SortedIntType(t), t));
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    @Test
    void idsAreBigEndianSubkeysWithEmptyValues() throws Exception {
        assertEquals(3L, (long) inTxn((s, t) -> s.add(b("k"), List.of(258L, 1L, -1L, 1L))));
        CollectionMetadata m = (CollectionMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "k");
        // flags 0x87 (64-bit | sortedint), no expiry, version, size 3.
        assertEquals("87" + "0000000000000000" + String.format("%016x", m.version()) + "0000000000000003",
                HEX.formatHex(m.encode()));
        List<byte[][]> ids = KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "k", m.version());
        assertEquals(3, ids.size());
        assertEquals("0000000000000001", HEX.formatHex(ids.get(0)[0]));
        assertEquals("0000000000000102", HEX.formatHex(ids.get(1)[0]));
        assertEquals("ffffffffffffffff", HEX.formatHex(ids.get(2)[0]), "ids are unsigned");
        assertEquals(0, ids.get(0)[1].length);
    }

    @Test
    void rangesFollowKvrocks() throws Exception {
        inTxn((s, t) -> s.add(b("k"), List.of(0L, 1L, 3L, 5L, 9L, -1L)));
        // SIRANGE skips the cursor id, so the default cursor 0 hides id 0, as in Kvrocks.
        assertEquals(List.of(1L, 3L, 5L, 9L, -1L), inTxn((s, t) -> s.range(b("k"), 0, 0, 0, false)));
        assertEquals(List.of(5L, 9L), inTxn((s, t) -> s.range(b("k"), 0, 2, 2, false)));
        assertEquals(List.of(5L, 9L, -1L), inTxn((s, t) -> s.range(b("k"), 3, 0, 10, false)));
        assertEquals(List.of(-1L, 9L, 5L), inTxn((s, t) -> s.range(b("k"), 0, 0, 3, true)));
        assertEquals(List.of(3L, 1L, 0L), inTxn((s, t) -> s.range(b("k"), 5, 0, 0, true)));
        SortedIntType.ValueRange all = new SortedIntType.ValueRange(0, false, -1L, false, -1, -1);
        assertEquals(List.of(0L, 1L, 3L, 5L, 9L, -1L), inTxn((s, t) -> s.rangeByValue(b("k"), all, false)));
        SortedIntType.ValueRange open = new SortedIntType.ValueRange(1, true, 9, true, -1, -1);
        assertEquals(List.of(3L, 5L), inTxn((s, t) -> s.rangeByValue(b("k"), open, false)));
        assertEquals(List.of(5L, 3L), inTxn((s, t) -> s.rangeByValue(b("k"), open, true)));
        SortedIntType.ValueRange limited = new SortedIntType.ValueRange(0, false, -1L, false, 1, 2);
        assertEquals(List.of(1L, 3L), inTxn((s, t) -> s.rangeByValue(b("k"), limited, false)));
        assertEquals(List.of(1L, 0L, 1L), inTxn((s, t) -> s.exist(b("k"), List.of(3L, 4L, -1L))));
    }

    @Test
    void removingTheLastIdDeletesTheKey() throws Exception {
        inTxn((s, t) -> s.add(b("k"), List.of(7L, 8L)));
        long version = ((CollectionMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "k")).version();
        assertEquals(1L, (long) inTxn((s, t) -> s.remove(b("k"), List.of(7L, 100L))));
        assertEquals(1L, (long) inTxn((s, t) -> s.card(b("k"))));
        assertEquals(1L, (long) inTxn((s, t) -> s.remove(b("k"), List.of(8L))));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "k"));
        assertEquals(0, KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "k", version).size());
    }

    @Test
    void otherTypesAreWrongType() throws Exception {
        KeyspaceFixtures.string(storage, NS, "s", "v", 0);
        assertThrows(ErrorReply.class, () -> inTxn((s, t) -> s.add(b("s"), List.of(1L))));
        inTxn((s, t) -> s.add(b("si"), List.of(1L)));
        try (Txn t = storage.begin(NS)) {
            assertEquals("sortedint", new Keyspace(t).typeName(b("si")));
            assertThrows(ErrorReply.class, () -> new SetType(t).card(b("si")));
        }
    }
}
