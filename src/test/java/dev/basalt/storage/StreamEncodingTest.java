package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.TempStorage;
import dev.basalt.types.Metadata;
import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamId;
import dev.basalt.types.StreamLayout;
import dev.basalt.types.StreamMetadata;
import dev.basalt.types.StreamType;
import dev.basalt.util.Bytes;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins Kvrocks's stream encoding with hand-computed bytes (src/storage/redis_metadata.cc
 * StreamMetadata::Encode; src/types/redis_stream.cc internalKeyFromEntryID, internalKeyFromGroupName,
 * internalKeyFromConsumerName, internalPelKeyFromGroupAndEntryId and the encode*Value functions;
 * src/types/redis_stream_base.cc EncodeStreamEntryValue), then checks that what the stream commands
 * commit is exactly that.
 */
class StreamEncodingTest {
    @RegisterExtension
    final TempStorage temp = new TempStorage();

    private static final HexFormat HEX = HexFormat.of();
    /** "__namespace" is 11 bytes: 0x0b then its ASCII. */
    private static final String NS = "0b" + "5f5f6e616d657370616365";
    private static final String VERSION = "0102030405060708";
    /** The subkey prefix of stream "s" (key length u32, key, version). */
    private static final String PREFIX = NS + "00000001" + "73" + VERSION;
    private static final String U64_MAX = "ffffffffffffffff";

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    private static StreamLayout layout() {
        return new StreamLayout(new KeyCodec(KeyCodec.DEFAULT_NAMESPACE), Bytes.of("s"), 0x0102030405060708L);
    }

    @Test
    void metadataHoldsTheIdsCountersAndGroupCount() {
        StreamMetadata m = StreamMetadata.empty(0x0102030405060708L).edit().size(3)
                .lastGeneratedId(new StreamId(5, 1)).maxDeletedEntryId(new StreamId(2, 0))
                .firstEntryId(new StreamId(1, 0)).lastEntryId(new StreamId(5, 1)).entriesAdded(4).groupCount(1).done();
        String expected = "88" + "0000000000000000" + VERSION + "0000000000000003"
                + "0000000000000005" + "0000000000000001" // last generated 5-1
                + "0000000000000001" + "0000000000000000" // recorded first entry 1-0
                + "0000000000000002" + "0000000000000000" // max deleted 2-0
                + "0000000000000001" + "0000000000000000" // first entry 1-0
                + "0000000000000005" + "0000000000000001" // last entry 5-1
                + "0000000000000004" // entries added
                + "0000000000000001"; // groups
        assertEquals(expected, hex(m.encode()));
        assertEquals(m, Metadata.decode(m.encode()));
        assertEquals(StreamType.TYPE, Metadata.decode(m.encode()).type());
    }

    @Test
    void metadataWithoutGroupCountFromOlderKvrocksReadsAsNoGroups() {
        String older = "88" + "0000000000000000" + VERSION + "0000000000000000" + "00".repeat(8 * 11);
        StreamMetadata m = (StreamMetadata) Metadata.decode(HEX.parseHex(older));
        assertEquals(0, m.groupCount());
        assertEquals(0, m.size());
        assertTrue(m.lastGeneratedId().isZero());
    }

    @Test
    void entryKeyIsTheIdAndValueIsVarintLengthPrefixedFields() {
        assertEquals(PREFIX + "0000018bcfe5687b" + "0000000000000007", hex(layout().entry(new StreamId(1_700_000_000_123L, 7))));
        byte[] big = new byte[200];
        // 200 = 0xc8: varint32 bytes 0xc8 0x01 (low seven bits with the continuation bit, then 1).
        byte[] value = StreamLayout.encodeFields(List.of(Bytes.of("f"), Bytes.of("v"), Bytes.of("name"), big));
        assertEquals("0166" + "0176" + "046e616d65" + "c801" + "00".repeat(200), hex(value));
        List<byte[]> back = StreamLayout.decodeFields(value);
        assertEquals(4, back.size());
        assertArrayEquals(big, back.get(3));
    }

    @Test
    void groupConsumerAndPendingKeysStartWithUint64MaxAndTheirKind() {
        StreamLayout at = layout();
        assertEquals(PREFIX + U64_MAX + "01" + "0000000000000001" + "67", hex(at.group(Bytes.of("g"))));
        assertEquals(PREFIX + U64_MAX + "02" + "0000000000000001" + "67" + "0000000000000002" + "6331",
                hex(at.consumer(Bytes.of("g"), Bytes.of("c1"))));
        assertEquals(PREFIX + U64_MAX + "03" + "0000000000000001" + "67" + "0000000000000009" + "0000000000000002",
                hex(at.pending(Bytes.of("g"), new StreamId(9, 2))));
        // Entries sort before all of them, whatever their ID.
        assertTrue(Bytes.compare(at.entry(StreamId.MAX_STORABLE), at.group(new byte[0])) < 0);
        assertFalse(at.isEntry(at.group(Bytes.of("g"))));
        assertTrue(at.isEntry(at.entry(StreamId.MAX_STORABLE)));
    }

    @Test
    void groupConsumerAndPendingValues() {
        StreamLayout.GroupValue g = new StreamLayout.GroupValue(2, 3, new StreamId(5, 1), -1, 0);
        assertEquals("0000000000000002" + "0000000000000003" + "0000000000000005" + "0000000000000001"
                + "ffffffffffffffff" + "0000000000000000", hex(g.encode()));
        assertEquals(g, StreamLayout.GroupValue.decode(g.encode()));
        StreamLayout.ConsumerValue c = new StreamLayout.ConsumerValue(1, 1_700_000_000_123L, 1_700_000_000_124L);
        assertEquals("0000000000000001" + "0000018bcfe5687b" + "0000018bcfe5687c", hex(c.encode()));
        StreamLayout.PendingValue p = new StreamLayout.PendingValue(1_700_000_000_123L, 2, Bytes.of("c1"));
        assertEquals("0000018bcfe5687b" + "0000000000000002" + "0000000000000002" + "6331", hex(p.encode()));
        assertArrayEquals(Bytes.of("c1"), StreamLayout.PendingValue.decode(p.encode()).consumer());
    }

    @Test
    void commandsCommitExactlyThatLayout() throws Exception {
        Storage s = temp.storage();
        byte[] key = Bytes.of("s");
        long before = System.currentTimeMillis();
        StreamMetadata m;
        try (Txn t = s.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            StreamType streams = new StreamType(t);
            streams.add(key, new StreamId(1, 0), true, false, null, List.of(Bytes.of("f"), Bytes.of("v")));
            streams.add(key, new StreamId(2, 0), false, false, null, List.of(Bytes.of("f"), Bytes.of("w")));
            StreamGroups groups = new StreamGroups(t);
            groups.createGroup(key, streams.metadata(key), Bytes.of("g"), StreamId.MIN, StreamGroups.UNKNOWN);
            m = streams.metadata(key);
            groups.readNew(key, m, groups.group(key, m, Bytes.of("g")), Bytes.of("c1"), StreamId.MIN, 1, false);
            s.commit(t);
        }
        long after = System.currentTimeMillis();
        try (Txn t = s.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            byte[] raw = t.get(ColumnFamily.METADATA, t.codec().metadataKey(key));
            String version = String.format("%016x", m.version());
            assertEquals("88" + "0000000000000000" + version + "0000000000000002"
                    + "0000000000000002" + "0000000000000000" + "0000000000000001" + "0000000000000000"
                    + "0000000000000000" + "0000000000000000" + "0000000000000001" + "0000000000000000"
                    + "0000000000000002" + "0000000000000000" + "0000000000000002" + "0000000000000001", hex(raw));
            StreamLayout at = new StreamLayout(t.codec(), key, m.version());
            assertEquals("0166" + "0176", hex(t.get(ColumnFamily.STREAM, at.entry(new StreamId(1, 0)))));
            assertEquals("0166" + "0177", hex(t.get(ColumnFamily.STREAM, at.entry(new StreamId(2, 0)))));
            // One consumer, one pending entry, delivered up to 1-0 and read counter 1.
            assertEquals("0000000000000001" + "0000000000000001" + "0000000000000001" + "0000000000000000"
                    + "0000000000000001" + "0000000000000000", hex(t.get(ColumnFamily.STREAM, at.group(Bytes.of("g")))));
            StreamLayout.ConsumerValue c = StreamLayout.ConsumerValue.decode(
                    t.get(ColumnFamily.STREAM, at.consumer(Bytes.of("g"), Bytes.of("c1"))));
            assertEquals(1, c.pending());
            assertTrue(c.seenTime() >= before && c.seenTime() <= after);
            byte[] pel = t.get(ColumnFamily.STREAM, at.pending(Bytes.of("g"), new StreamId(1, 0)));
            assertEquals("0000000000000001" + "0000000000000002" + "6331", hex(pel).substring(16));
            assertNull(t.get(ColumnFamily.STREAM, at.pending(Bytes.of("g"), new StreamId(2, 0))));
        }
    }
}
