package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Bitmaps on disk in Kvrocks's layout (redis_bitmap.cc), pinned with hand-computed bytes: metadata type 6
 * whose size is the length in bytes, 1 KiB fragments named by their decimal byte offset, bits numbered
 * from the least significant bit of each byte, fragments grown as Kvrocks's ExpandBitmapSegment grows them.
 */
class BitmapTypeTest {
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
        T run(BitmapType bitmaps, Txn txn) throws Exception;
    }

    private <T> T inTxn(Op<T> op) throws Exception {
        return KeyspaceFixtures.commit(storage, t -> op.run(new BitmapType(t), t));
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private CollectionMetadata meta(String key) throws Exception {
        return (CollectionMetadata) KeyspaceFixtures.rawMetadata(storage, NS, key);
    }

    private List<byte[][]> fragments(String key) throws Exception {
        return KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, key, meta(key).version());
    }

    @Test
    void setbitWritesKvrocksFragments() throws Exception {
        assertFalse((boolean) inTxn((bm, t) -> bm.setBit(b("k"), 10, true)));
        CollectionMetadata m = meta("k");
        // flags 0x86 (64-bit | bitmap), no expiry, version, size 2 (bit 10 is in byte 1).
        assertEquals("86" + "0000000000000000" + String.format("%016x", m.version()) + "0000000000000002",
                HEX.formatHex(m.encode()));
        List<byte[][]> f = fragments("k");
        assertEquals(1, f.size());
        assertEquals("0", Bytes.str(f.get(0)[0]), "fragment 0 is named by its byte offset, in decimal");
        // Bit 10 = byte 1, bit 2 counted from the least significant bit: 0x04. The fragment holds 2 bytes.
        assertEquals("0004", HEX.formatHex(f.get(0)[1]));

        // Bit 8200 is in the second fragment (byte offset 1024), its byte 1, bit 0.
        inTxn((bm, t) -> bm.setBit(b("k"), 8200, true));
        f = fragments("k");
        assertEquals("1024", Bytes.str(f.get(1)[0]));
        assertEquals("0001", HEX.formatHex(f.get(1)[1]));
        assertEquals(1026, meta("k").size());

        // Growing a fragment doubles it while that is enough: byte 2 of fragment 0 makes it 4 bytes long.
        inTxn((bm, t) -> bm.setBit(b("k"), 16, true));
        assertEquals("00040100", HEX.formatHex(fragments("k").get(0)[1]));
        assertTrue((boolean) inTxn((bm, t) -> bm.getBit(b("k"), 16)));
        assertFalse((boolean) inTxn((bm, t) -> bm.getBit(b("k"), 17)));
    }

    @Test
    void aBitAtTheLastOffsetCostsOneFragment() throws Exception {
        long last = (1L << 32) - 1;
        inTxn((bm, t) -> bm.setBit(b("sparse"), last, true));
        assertEquals(1L << 29, meta("sparse").size(), "the bitmap is 512 MB long");
        List<byte[][]> f = fragments("sparse");
        assertEquals(1, f.size(), "one fragment");
        assertEquals("536869888", Bytes.str(f.get(0)[0]));
        assertEquals(1024, f.get(0)[1].length);
        assertEquals((byte) 0x80, f.get(0)[1][1023], "the top bit of the last byte");
        assertEquals(1L, (long) inTxn((bm, t) -> bm.count(bm.read(b("sparse")))));
        assertEquals(last, (long) inTxn((bm, t) -> bm.position(bm.read(b("sparse")), true, null, null, false)));
        assertEquals(0L, (long) inTxn((bm, t) -> bm.position(bm.read(b("sparse")), false, null, null, false)));
    }

    @Test
    void bitCommandsOnAStringKeepItAString() throws Exception {
        KeyspaceFixtures.string(storage, NS, "s", "A", 0); // 0x41 = 0100 0001
        assertTrue((boolean) inTxn((bm, t) -> bm.getBit(b("s"), 1)));
        assertFalse((boolean) inTxn((bm, t) -> bm.setBit(b("s"), 10, true)));
        Metadata m = KeyspaceFixtures.rawMetadata(storage, NS, "s");
        assertTrue(m instanceof StringMetadata);
        assertEquals("4120", HEX.formatHex(((StringMetadata) m).value()), "Redis's bit order: bit 10 is 0x20 of byte 1");
    }

    @Test
    void getReadsABitmapAsTheStringRedisWouldHold() throws Exception {
        inTxn((bm, t) -> {
            bm.setBit(b("k"), 0, true);
            bm.setBit(b("k"), 8192 * 2 + 7, true);
            return null;
        });
        byte[] expected = new byte[2049];
        expected[0] = (byte) 0x80;
        expected[2048] = 0x01;
        try (Txn txn = storage.begin(NS)) {
            assertArrayEquals(expected, new StringType(txn).get(b("k"), 1 << 20));
            ErrorReply e = assertThrows(ErrorReply.class, () -> new StringType(txn).get(b("k"), 2048));
            assertEquals(BitmapType.TOO_BIG_FOR_STRING, e.getMessage());
            assertThrows(ErrorReply.class, () -> new StringType(txn).strlen(b("k")), "STRLEN answers WRONGTYPE, as in Kvrocks");
        }
    }

    @Test
    void bitopWritesOnlyFragmentsThatCanHoldBits() throws Exception {
        inTxn((bm, t) -> {
            bm.setBit(b("a"), 3, true);
            bm.setBit(b("a"), 8192 * 5, true);
            bm.setBit(b("b"), 8192 * 5 + 1, true);
            return null;
        });
        assertEquals(5121L, (long) inTxn((bm, t) -> bm.bitop(BitmapType.BitOp.AND, b("and"), b("d"), List.of(b("a"), b("b")))));
        List<byte[][]> f = fragments("d");
        assertEquals(1, f.size(), "AND writes only the fragment both sources have");
        assertEquals("5120", Bytes.str(f.get(0)[0]));
        assertEquals("00", HEX.formatHex(f.get(0)[1]));
        assertEquals(5121L, (long) inTxn((bm, t) -> bm.bitop(BitmapType.BitOp.OR, b("or"), b("d"), List.of(b("a"), b("b")))));
        assertEquals(2, fragments("d").size());
        assertEquals("03", HEX.formatHex(fragments("d").get(1)[1]));
        assertEquals(5121L, (long) inTxn((bm, t) -> bm.bitop(BitmapType.BitOp.NOT, b("not"), b("d"), List.of(b("a")))));
        assertEquals(6, fragments("d").size(), "NOT writes every fragment up to the length");
        assertEquals(0L, (long) inTxn((bm, t) -> bm.bitop(BitmapType.BitOp.OR, b("or"), b("d"), List.of(b("none")))));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "d"), "an empty result deletes the destination");
    }

    @Test
    void deletingAndExpiringReclaimFragments() throws Exception {
        inTxn((bm, t) -> {
            bm.setBit(b("gone"), 5, true);
            bm.setBit(b("gone"), 100_000, true);
            return null;
        });
        long version = meta("gone").version();
        inTxn((bm, t) -> new Keyspace(t).deleteKeys(List.of(b("gone"))));
        assertEquals(0, KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "gone", version).size());

        inTxn((bm, t) -> bm.setBit(b("exp"), 5, true));
        version = meta("exp").version();
        inTxn((bm, t) -> new Keyspace(t).expire(b("exp"), 1, 0));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "exp"));
        assertEquals(0, KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "exp", version).size());
    }

    @Test
    void copyAndRenameKeepTheFragments() throws Exception {
        inTxn((bm, t) -> bm.setBit(b("src"), 9000, true));
        inTxn((bm, t) -> new KeyCopy(t).copy(b("src"), b("cp"), false));
        inTxn((bm, t) -> new KeyCopy(t).rename(b("src"), b("mv"), false));
        assertTrue((boolean) inTxn((bm, t) -> bm.getBit(b("cp"), 9000)));
        assertTrue((boolean) inTxn((bm, t) -> bm.getBit(b("mv"), 9000)));
        assertEquals(BitmapType.TYPE, KeyspaceFixtures.rawMetadata(storage, NS, "cp").type());
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "src"));
    }

    @Test
    void otherTypesAreWrongType() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        assertThrows(ErrorReply.class, () -> inTxn((bm, t) -> bm.setBit(b("h"), 1, true)));
        assertThrows(ErrorReply.class, () -> inTxn((bm, t) -> bm.read(b("h"))));
        inTxn((bm, t) -> bm.setBit(b("bits"), 1, true));
        try (Txn txn = storage.begin(NS)) {
            assertThrows(ErrorReply.class, () -> new HashType(txn).get(b("bits"), b("f")));
            assertThrows(ErrorReply.class, () -> new HyperLogLogType(txn).count(List.of(b("bits"))));
        }
    }
}
