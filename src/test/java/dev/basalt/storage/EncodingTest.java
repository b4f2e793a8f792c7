package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.types.BitmapType;
import dev.basalt.types.CollectionMetadata;
import dev.basalt.types.HashType;
import dev.basalt.types.HyperLogLogMetadata;
import dev.basalt.types.ListMetadata;
import dev.basalt.types.Metadata;
import dev.basalt.types.StringMetadata;
import dev.basalt.types.SortedIntType;
import dev.basalt.types.StringType;
import dev.basalt.types.VersionedMetadata;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Pins Kvrocks's on-disk encoding with hand-computed bytes. */
class EncodingTest {
    private static final HexFormat HEX = HexFormat.of();
    /** "__namespace" is 11 bytes: 0x0b then its ASCII. */
    private static final String NS = "0b" + "5f5f6e616d657370616365";

    @Test
    void metadataKeyIsNamespaceThenUserKey() {
        KeyCodec codec = new KeyCodec(KeyCodec.DEFAULT_NAMESPACE);
        assertEquals(NS + "666f6f", HEX.formatHex(codec.metadataKey("foo".getBytes())));
    }

    @Test
    void stringWithoutExpiry() {
        byte[] v = new StringMetadata(0, "bar".getBytes()).encode();
        // flags 0x81 (64-bit encoding | type 1), expire 0 as u64 big-endian, then the payload.
        assertEquals("81" + "0000000000000000" + "626172", HEX.formatHex(v));
    }

    @Test
    void stringWithExpiry() {
        // 1700000000123 ms = 0x0000018BCFE5687B
        byte[] v = new StringMetadata(1_700_000_000_123L, "bar".getBytes()).encode();
        assertEquals("81" + "0000018bcfe5687b" + "626172", HEX.formatHex(v));
        StringMetadata back = (StringMetadata) Metadata.decode(v);
        assertEquals(StringType.TYPE, back.type());
        assertEquals(1_700_000_000_123L, back.expireAtMs());
        assertArrayEquals("bar".getBytes(), back.value());
    }

    @Test
    void hashMetadata() {
        Metadata m = CollectionMetadata.empty(HashType.TYPE, 0x0102030405060708L).withSize(3);
        // flags 0x82, expire 0, version, size.
        assertEquals("82" + "0000000000000000" + "0102030405060708" + "0000000000000003", HEX.formatHex(m.encode()));
    }

    @Test
    void bitmapSortedIntAndHyperLogLogMetadata() {
        // A bitmap's size is its length in bytes: 1026 = 0x402.
        Metadata bitmap = CollectionMetadata.empty(BitmapType.TYPE, 0x0102030405060708L).withSize(1026);
        assertEquals("86" + "0000000000000000" + "0102030405060708" + "0000000000000402", HEX.formatHex(bitmap.encode()));
        Metadata sortedInt = CollectionMetadata.empty(SortedIntType.TYPE, 9L).withSize(3);
        assertEquals("87" + "0000000000000000" + "0000000000000009" + "0000000000000003", HEX.formatHex(sortedInt.encode()));
        // A HyperLogLog: size 0 (registers are not counted), then encode_type u8 0 (dense).
        Metadata hll = HyperLogLogMetadata.empty(9L).withExpireAtMs(1_700_000_000_123L);
        assertEquals("8b" + "0000018bcfe5687b" + "0000000000000009" + "0000000000000000" + "00", HEX.formatHex(hll.encode()));
        assertEquals(hll, Metadata.decode(hll.encode()));
        assertEquals(bitmap, Metadata.decode(bitmap.encode()));
    }

    @Test
    void listMetadataHasHeadAndTailAtTheMiddle() {
        Metadata m = ListMetadata.empty(1L);
        assertEquals("83" + "0000000000000000" + "0000000000000001" + "0000000000000000"
                + "7fffffffffffffff" + "7fffffffffffffff", HEX.formatHex(m.encode()));
    }

    @Test
    void subkeyLayout() {
        KeyCodec codec = new KeyCodec(KeyCodec.DEFAULT_NAMESPACE);
        byte[] sk = codec.subkey("h".getBytes(), 5L, "f".getBytes());
        // ns, key length u32, key, version u64, field.
        assertEquals(NS + "00000001" + "68" + "0000000000000005" + "66", HEX.formatHex(sk));
        assertTrue(dev.basalt.util.Bytes.startsWith(sk, codec.subkeyPrefix("h".getBytes(), 5L)));
    }

    @Test
    void legacy32BitMetadataIsReadable() {
        // flags 0x02 (hash, legacy), expire u32 seconds, version u64, size u32.
        byte[] v = HEX.parseHex("02" + "00000064" + "0000000000000009" + "00000002");
        VersionedMetadata m = (VersionedMetadata) Metadata.decode(v);
        assertEquals(HashType.TYPE, m.type());
        assertEquals(100_000L, m.expireAtMs());
        assertEquals(9L, m.version());
        assertEquals(2L, m.size());
    }

    @Test
    void versionsGrowAndCarryTheCounterInLow11Bits() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("basalt-enc");
        dev.basalt.config.Config c = dev.basalt.config.Config.defaults();
        c.put("rocksdb.block_cache_size", "8");
        try (Storage s = Storage.open(dir, c)) {
            long a = s.nextVersion();
            long b = s.nextVersion();
            assertTrue(b != a);
            long micros = a >>> 11;
            long nowMicros = System.currentTimeMillis() * 1000;
            assertTrue(Math.abs(nowMicros - micros) < 10_000_000, "version carries microseconds since the epoch");
        } finally {
            dev.basalt.testutil.TestServer.deleteTree(dir);
        }
    }
}
