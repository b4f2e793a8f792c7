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

/**
 * HyperLogLogs on disk in Kvrocks's layout (redis_hyperloglog.cc), pinned with hand-computed bytes. The
 * registers an element sets come from redis-server itself: after {@code PFADD h a}, {@code PFDEBUG GETREG h}
 * shows register 12711 at 2, and after {@code PFADD h hello} register 9216 at 1.
 */
class HyperLogLogTypeTest {
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
        T run(HyperLogLogType hll, Txn txn) throws Exception;
    }

    private <T> T inTxn(Op<T> op) throws Exception {
        return KeyspaceFixtures.commit(storage, t -> op.run(new HyperLogLogType(t), t));
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private List<byte[][]> segments(String key) throws Exception {
        HyperLogLogMetadata m = (HyperLogLogMetadata) KeyspaceFixtures.rawMetadata(storage, NS, key);
        return KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, key, m.version());
    }

    @Test
    void registersAreKvrocksSegmentsOfRedisDenseRegisters() throws Exception {
        assertEquals(1L, (long) inTxn((h, t) -> h.add(b("h"), List.of(b("a")))));
        HyperLogLogMetadata m = (HyperLogLogMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "h");
        // flags 0x8b (64-bit | type 11), no expiry, version, size 0, encode type 0 (dense).
        assertEquals("8b" + "0000000000000000" + String.format("%016x", m.version()) + "0000000000000000" + "00",
                HEX.formatHex(m.encode()));
        // Register 12711 = segment 12 (1024 registers each), register 423 there: bits 2538..2543, i.e. byte
        // 317 from bit 2, value 2 -> 0x08. The segment is 768 bytes; the other 15 are not written.
        List<byte[][]> s = segments("h");
        assertEquals(1, s.size());
        assertEquals("12", Bytes.str(s.get(0)[0]));
        byte[] expected = new byte[768];
        expected[317] = 0x08;
        assertEquals(HEX.formatHex(expected), HEX.formatHex(s.get(0)[1]));
        assertEquals(0L, (long) inTxn((h, t) -> h.add(b("h"), List.of(b("a")))), "no register changed");

        // Register 9216 = segment 9, register 0: the low 6 bits of byte 0, value 1.
        inTxn((h, t) -> h.add(b("h"), List.of(b("hello"))));
        s = segments("h");
        assertEquals("9", Bytes.str(s.get(1)[0]));
        assertEquals("01" + "00".repeat(767), HEX.formatHex(s.get(1)[1]));
        assertEquals(2L, (long) inTxn((h, t) -> h.count(List.of(b("h")))));
    }

    @Test
    void registersSpanningTwoBytesAreSplitAsRedisPacksThem() {
        byte[] segment = new byte[768];
        HyperLogLogType.setRegister(segment, 1, 0x3f); // bits 6..11: top 2 bits of byte 0, low 4 of byte 1
        assertEquals("c00f", HEX.formatHex(segment, 0, 2));
        assertEquals(0x3f, HyperLogLogType.getRegister(segment, 1));
        assertEquals(0, HyperLogLogType.getRegister(segment, 0));
        assertEquals(0, HyperLogLogType.getRegister(segment, 2));
    }

    @Test
    void anEmptyHyperLogLogExists() throws Exception {
        assertEquals(1L, (long) inTxn((h, t) -> h.add(b("e"), List.of())));
        assertEquals(0, segments("e").size());
        try (Txn t = storage.begin(NS)) {
            assertEquals(HyperLogLogType.TYPE, new Keyspace(t).type(b("e")));
        }
        assertEquals(0L, (long) inTxn((h, t) -> h.add(b("e"), List.of())));
        assertEquals(0L, (long) inTxn((h, t) -> h.count(List.of(b("e"), b("missing")))));
    }

    @Test
    void mergeTakesTheHighestRegistersAndDeleteReclaimsThem() throws Exception {
        inTxn((h, t) -> h.add(b("x"), List.of(b("a"), b("b"), b("c"))));
        inTxn((h, t) -> h.add(b("y"), List.of(b("c"), b("d"))));
        inTxn((h, t) -> {
            h.merge(b("z"), List.of(b("x"), b("y"), b("none")));
            return null;
        });
        assertEquals(4L, (long) inTxn((h, t) -> h.count(List.of(b("z")))));
        assertEquals(4L, (long) inTxn((h, t) -> h.count(List.of(b("x"), b("y")))));
        long version = ((HyperLogLogMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "z")).version();
        inTxn((h, t) -> new Keyspace(t).deleteKeys(List.of(b("z"))));
        assertEquals(0, KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "z", version).size());
    }

    @Test
    void stringsAreNotHyperLogLogsAndOtherTypesAreWrongType() throws Exception {
        KeyspaceFixtures.string(storage, NS, "s", "v", 0);
        KeyspaceFixtures.set(storage, NS, "set", 0, "m");
        ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn((h, t) -> h.add(b("s"), List.of(b("a")))));
        assertEquals(HyperLogLogType.NOT_HLL, e.getMessage());
        e = assertThrows(ErrorReply.class, () -> inTxn((h, t) -> h.count(List.of(b("set")))));
        assertEquals(ErrorReply.WRONGTYPE, e.getMessage());
        inTxn((h, t) -> h.add(b("hll"), List.of(b("a"))));
        try (Txn t = storage.begin(NS)) {
            assertThrows(ErrorReply.class, () -> new StringType(t).get(b("hll"), 1 << 20));
            assertThrows(ErrorReply.class, () -> new BitmapType(t).read(b("hll")));
        }
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "missing"));
    }
}
