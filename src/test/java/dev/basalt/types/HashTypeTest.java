package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import dev.basalt.types.HashType.Entry;
import dev.basalt.util.Bytes;
import dev.basalt.util.LongDouble;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HashType against a real Storage: Kvrocks layout, size bookkeeping, reclaiming, arithmetic, sampling, scans. */
class HashTypeTest {
    private static final byte[] H = b("h");

    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;
    private KeyCodec codec;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
        codec = new KeyCodec(KeyCodec.DEFAULT_NAMESPACE);
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private static Entry e(String f, String v) {
        return new Entry(b(f), b(v));
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(HashType h) throws Exception;
    }

    /** Runs work in one Txn and commits it. */
    private <T> T commit(Work<T> work) throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            T result = work.run(new HashType(t));
            storage.commit(t);
            return result;
        }
    }

    private byte[] rawMetadata(byte[] key) throws Exception {
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            return t.get(ColumnFamily.METADATA, codec.metadataKey(key));
        }
    }

    /** Every DEFAULT-CF entry of the key, whatever its version. */
    private int subkeysOf(byte[] key) {
        byte[] prefix = java.nio.ByteBuffer.allocate(1 + codec.namespaceBytes().length + 4 + key.length)
                .put((byte) codec.namespaceBytes().length).put(codec.namespaceBytes()).putInt(key.length).put(key).array();
        int n = 0;
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE); TxnIterator it = t.iterator(ColumnFamily.DEFAULT)) {
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void writesKvrocksLayout() throws Exception {
        assertEquals(2, (int) commit(h -> h.set(H, List.of(e("f1", "v1"), e("f2", "v2")))));
        byte[] raw = rawMetadata(H);
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(raw);
        assertEquals(0x82, raw[0] & 0xff, "flags: 64-bit encoding | hash");
        assertEquals(HashType.TYPE, m.type());
        assertEquals(0, m.expireAtMs());
        assertEquals(2, m.size());
        assertEquals(25, raw.length, "flags, expire, version, size");
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            assertArrayEquals(b("v1"), t.get(ColumnFamily.DEFAULT, codec.subkey(H, m.version(), b("f1"))));
            assertArrayEquals(b("v2"), t.get(ColumnFamily.DEFAULT, codec.subkey(H, m.version(), b("f2"))));
        }
        assertEquals(2, subkeysOf(H));
    }

    @Test
    void sizeCountsNewFieldsOnceEvenWhenRepeated() throws Exception {
        assertEquals(1, (int) commit(h -> h.set(H, List.of(e("a", "1"), e("a", "2")))));
        assertEquals(1, (int) commit(h -> h.set(H, List.of(e("a", "3"), e("b", "4")))));
        commit(h -> {
            assertEquals(2, h.length(H));
            assertArrayEquals(b("3"), h.get(H, b("a")));
            assertEquals(1, h.valueLength(H, b("a")));
            assertEquals(0, h.valueLength(H, b("zz")));
            assertTrue(h.fieldExists(H, b("b")));
            assertFalse(h.fieldExists(H, b("zz")));
            return null;
        });
    }

    @Test
    void setIfAbsentKeepsExistingValue() throws Exception {
        assertEquals(true, commit(h -> h.setIfAbsent(H, b("f"), b("1"))));
        assertEquals(false, commit(h -> h.setIfAbsent(H, b("f"), b("2"))));
        assertArrayEquals(b("1"), commit(h -> h.get(H, b("f"))));
        assertEquals(1L, (long) commit(h -> h.length(H)));
    }

    @Test
    void getManyAnswersNullForMissingFieldsAndKeys() throws Exception {
        commit(h -> h.set(H, List.of(e("a", "1"))));
        List<byte[]> got = commit(h -> h.getMany(H, List.of(b("a"), b("x"))));
        assertArrayEquals(b("1"), got.get(0));
        assertNull(got.get(1));
        List<byte[]> none = commit(h -> h.getMany(b("nokey"), List.of(b("a"), b("b"))));
        assertEquals(2, none.size());
        assertNull(none.get(0));
        assertNull(none.get(1));
    }

    @Test
    void deletingTheLastFieldDeletesKeyAndReclaimsSubkeys() throws Exception {
        commit(h -> h.set(H, List.of(e("a", "1"), e("b", "2"), e("c", "3"))));
        assertEquals(2, (int) commit(h -> h.deleteFields(H, List.of(b("a"), b("a"), b("zz"), b("b")))));
        assertEquals(1L, (long) commit(h -> h.length(H)));
        assertEquals(1, subkeysOf(H));
        assertEquals(0, (int) commit(h -> h.deleteFields(H, List.of(b("zz")))));
        assertEquals(1, (int) commit(h -> h.deleteFields(H, List.of(b("c")))));
        assertNull(rawMetadata(H), "metadata gone with the last field");
        assertEquals(0, subkeysOf(H));
        assertEquals(0, (int) commit(h -> h.deleteFields(H, List.of(b("c")))));
    }

    @Test
    void readsSeeEarlierWritesOfTheSameTxn() throws Exception {
        commit(h -> {
            h.set(H, List.of(e("a", "1")));
            assertArrayEquals(b("1"), h.get(H, b("a")));
            assertEquals(1, h.entries(H).size());
            h.deleteFields(H, List.of(b("a")));
            assertNull(h.metadata(H));
            // Re-created in the same Txn: a fresh version, nothing of the old one visible.
            h.set(H, List.of(e("b", "2")));
            List<Entry> all = h.entries(H);
            assertEquals(1, all.size());
            assertArrayEquals(b("b"), all.get(0).field());
            return null;
        });
        assertEquals(1, subkeysOf(H));
    }

    @Test
    void expiredHashIsGoneAndRecreatedWithAFreshVersion() throws Exception {
        commit(h -> h.set(H, List.of(e("old1", "1"), e("old2", "2"))));
        long oldVersion = ((CollectionMetadata) Metadata.decode(rawMetadata(H))).version();
        commit(h -> {
            CollectionMetadata m = h.metadata(H);
            h.keyspace.putMetadata(H, m.withExpireAtMs(h.keyspace.nowMs() - 1000));
            return null;
        });
        commit(h -> {
            assertNull(h.get(H, b("old1")));
            assertEquals(0, h.length(H));
            assertTrue(h.entries(H).isEmpty());
            return null;
        });
        assertEquals(1, (int) commit(h -> h.set(H, List.of(e("new", "x")))));
        CollectionMetadata m = (CollectionMetadata) Metadata.decode(rawMetadata(H));
        assertNotEquals(oldVersion, m.version());
        assertEquals(0, m.expireAtMs(), "a re-created key has no expiry");
        assertEquals(1, m.size());
        assertEquals(1, subkeysOf(H), "the expired version's subkeys were reclaimed");
    }

    @Test
    void updatesKeepTheExpiry() throws Exception {
        commit(h -> h.set(H, List.of(e("a", "1"))));
        long at = System.currentTimeMillis() + 100_000;
        commit(h -> {
            h.keyspace.putMetadata(H, h.metadata(H).withExpireAtMs(at));
            return null;
        });
        commit(h -> h.set(H, List.of(e("b", "2"))));
        commit(h -> h.incrBy(H, b("n"), 5));
        commit(h -> h.deleteFields(H, List.of(b("a"))));
        assertEquals(at, Metadata.decode(rawMetadata(H)).expireAtMs());
    }

    @Test
    void otherTypesAreWrongType() throws Exception {
        commit(h -> {
            h.keyspace.putMetadata(b("s"), new StringMetadata(0, b("v")));
            return null;
        });
        for (Work<Object> w : List.<Work<Object>>of(
                h -> h.get(b("s"), b("f")),
                h -> h.set(b("s"), List.of(e("f", "v"))),
                h -> h.length(b("s")),
                h -> h.entries(b("s")),
                h -> h.incrBy(b("s"), b("f"), 1),
                h -> h.deleteFields(b("s"), List.of(b("f"))),
                h -> h.scan(b("s"), null, 10, null))) {
            ErrorReply ex = assertThrows(ErrorReply.class, () -> commit(w));
            assertEquals(ErrorReply.WRONGTYPE, ex.getMessage());
        }
    }

    @Test
    void entriesComeInFieldOrder() throws Exception {
        commit(h -> h.set(H, List.of(e("b", "2"), e("a", "1"), e("", "empty"), e("\u00ff", "high"))));
        List<Entry> all = commit(h -> h.entries(H));
        List<String> fields = new ArrayList<>();
        for (Entry x : all) {
            fields.add(Bytes.str(x.field()));
        }
        assertEquals(List.of("", "a", "b", "\u00ff"), fields);
    }

    @Test
    void incrByFollowsRedisRules() throws Exception {
        assertEquals(5L, (long) commit(h -> h.incrBy(H, b("n"), 5)));
        assertEquals(-3L, (long) commit(h -> h.incrBy(H, b("n"), -8)));
        assertArrayEquals(b("-3"), commit(h -> h.get(H, b("n"))));
        commit(h -> h.set(H, List.of(e("max", Long.toString(Long.MAX_VALUE)), e("min", Long.toString(Long.MIN_VALUE)),
                e("lead", "01"), e("plus", "+1"), e("space", " 1"), e("text", "abc"))));
        assertEquals("ERR increment or decrement would overflow",
                assertThrows(ErrorReply.class, () -> commit(h -> h.incrBy(H, b("max"), 1))).getMessage());
        assertEquals("ERR increment or decrement would overflow",
                assertThrows(ErrorReply.class, () -> commit(h -> h.incrBy(H, b("min"), -1))).getMessage());
        assertEquals(Long.MAX_VALUE - 1, (long) commit(h -> h.incrBy(H, b("max"), -1)));
        for (String f : List.of("lead", "plus", "space", "text")) {
            assertEquals("ERR hash value is not an integer",
                    assertThrows(ErrorReply.class, () -> commit(h -> h.incrBy(H, b(f), 1))).getMessage());
        }
    }

    /** Expected texts were taken from Redis 7.0.15 (x86-64, 80-bit long double). */
    @Test
    void incrByFloatMatchesRedisLongDoubleResults() throws Exception {
        String[][] steps = {
            {"u", "0.1", "0.1"}, {"u", "0.2", "0.3"},
            {"t", "1e20", "100000000000000000000"}, {"t", "0.1", "100000000000000000000"},
            {"s", "2.000000000000000000005", "2"},
            {"v", "3.0000000000000000001", "3"},
            {"r", "0.000003814697265625", "0.00000381469726562"}, // exact tie: to even
            {"r", "0.000003814697265625", "0.00000762939453125"},
            {"r2", "0.000000000000000005", "0"},
            {"r3", "0.000000000000000015", "0.00000000000000002"},
            {"r4", "0.000000000000000025", "0.00000000000000002"},
            {"z", "0x10", "16"}, {"z", "0x1p-2", "16.25"}, {"z", "-16.25", "0"},
            {"y", "-0.0", "0"}, {"w", "1.0e-30", "0"}, {"w", ".5", "0.5"}, {"w", "5.", "5.5"},
            {"n7", "123456789012345678901234567890", "123456789012345678899921813504"},
            {"n7", "-0.333333333333333333333333", "123456789012345678899921813504"},
            {"n8", "-1e-18", "0"},
            {"n9", "1.7976931348623157e308", "179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384"},
            {"n9", "1.7976931348623157e308", "359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768"},
            {"x", "1e-4940", "0"},
            {"x", "1e300", "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144"},
            {"x", "-1e300", "0"},
            {"y", "0.1", "0.1"}, {"y", "1e-17", "0.10000000000000001"}, {"y", "1e-17", "0.10000000000000002"},
            {"y", "-0.10000000000000002", "0"},
        };
        for (String[] s : steps) {
            LongDouble incr = LongDouble.parse(s[1]);
            assertNotNull(incr, s[1]);
            assertEquals(s[2], Bytes.str(commit(h -> h.incrByFloat(H, b(s[0]), incr))), s[0] + " += " + s[1]);
        }
        assertEquals("1.5", Bytes.str(commit(h -> h.incrByFloat(b("fresh"), b("f"), LongDouble.parse("1.5")))));
    }

    @Test
    void incrByFloatErrors() throws Exception {
        commit(h -> h.set(H, List.of(e("space", " 1"), e("trail", "1 "), e("text", "abc"), e("nan", "nan"),
                e("inf", "inf"), e("big", "1e4932"))));
        for (String f : List.of("space", "trail", "text", "nan")) {
            assertEquals("ERR hash value is not a float",
                    assertThrows(ErrorReply.class, () -> commit(h -> h.incrByFloat(H, b(f), LongDouble.parse("1"))))
                            .getMessage(), f);
        }
        for (String[] c : new String[][] {{"inf", "1"}, {"big", "1e4932"}}) {
            assertEquals("ERR increment would produce NaN or Infinity",
                    assertThrows(ErrorReply.class,
                            () -> commit(h -> h.incrByFloat(H, b(c[0]), LongDouble.parse(c[1])))).getMessage());
        }
        assertArrayEquals(b("1e4932"), commit(h -> h.get(H, b("big"))), "failed increments change nothing");
    }

    @Test
    void longDoubleParsingIsStrtoldOverTheWholeText() {
        for (String ok : List.of("1", "-1", "+1", ".5", "5.", "1e5", "1E+5", "1e-5", "0x1p3", "0X1.8P1", "0x.8",
                "inf", "-INF", "Infinity", "0e99999999999", "1e-4940", "1.18973149535723176502e+4932")) {
            assertNotNull(LongDouble.parse(ok), ok);
        }
        for (String bad : List.of("", " 1", "1 ", ".", "1e", "1e+", "e5", "0x", "0x1p", "nan", "-nan", "infx", "abc",
                "1e5000", "-1e5000", "1e-5000", "1.18973149535723176509e+4932", "1,5", "--1", "0x1.g")) {
            assertNull(LongDouble.parse(bad), bad);
        }
        assertTrue(LongDouble.parse("inf").isInfinite());
        assertEquals("-0.5", LongDouble.parse("-0.5").toHumanString());
        assertEquals("0", LongDouble.parse("-0").toHumanString());
        assertEquals("0.0625", LongDouble.parse("0x1p-4").toHumanString());
    }

    @Test
    void randomDistinctPicksDistinctExistingFields() throws Exception {
        List<Entry> fields = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fields.add(e("f" + i, "v" + i));
        }
        commit(h -> h.set(H, fields));
        for (int count : new int[] {1, 5, 20, 49}) {
            List<Entry> got = commit(h -> h.randomDistinct(H, count));
            assertEquals(count, got.size());
            Set<String> seen = new HashSet<>();
            for (Entry x : got) {
                String f = Bytes.str(x.field());
                assertTrue(seen.add(f), "distinct");
                assertEquals("v" + f.substring(1), Bytes.str(x.value()));
            }
        }
        assertEquals(50, commit(h -> h.randomDistinct(H, 500)).size());
        assertTrue(commit(h -> h.randomDistinct(b("nokey"), 3)).isEmpty());
    }

    @Test
    void randomSamplesReachEveryField() throws Exception {
        commit(h -> h.set(H, List.of(e("a", "1"), e("b", "2"), e("c", "3"))));
        Set<String> seenOne = new HashSet<>();
        Set<String> seenRepeats = new HashSet<>();
        // 300 draws over 3 fields: missing one has probability below 3 * (2/3)^300.
        for (int i = 0; i < 300; i++) {
            seenOne.add(Bytes.str(commit(h -> h.randomEntry(H)).field()));
        }
        List<Entry> drawn = new ArrayList<>();
        commit(h -> {
            h.randomWithRepeats(H, 300, drawn::add);
            return null;
        });
        assertEquals(300, drawn.size());
        for (Entry x : drawn) {
            seenRepeats.add(Bytes.str(x.field()));
        }
        assertEquals(Set.of("a", "b", "c"), seenOne);
        assertEquals(Set.of("a", "b", "c"), seenRepeats);
        assertNull(commit(h -> h.randomEntry(b("nokey"))));
    }

    @Test
    void randomWithRepeatsBelowTheSizeWalksToThePicks() throws Exception {
        List<Entry> fields = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fields.add(e(String.format("f%03d", i), "v" + i));
        }
        commit(h -> h.set(H, fields));
        List<Entry> drawn = new ArrayList<>();
        commit(h -> {
            h.randomWithRepeats(H, 7, drawn::add);
            return null;
        });
        assertEquals(7, drawn.size());
        for (Entry x : drawn) {
            int i = Integer.parseInt(Bytes.str(x.field()).substring(1));
            assertEquals("v" + i, Bytes.str(x.value()));
        }
    }

    @Test
    void scanVisitsEveryFieldOnceInPages() throws Exception {
        List<Entry> fields = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            fields.add(e(String.format("f%02d", i), "v" + i));
        }
        fields.add(e("", "empty"));
        commit(h -> h.set(H, fields));
        List<String> seen = new ArrayList<>();
        byte[] after = null;
        int pages = 0;
        do {
            byte[] from = after;
            ScanPage<Entry> page = commit(h -> h.scan(H, from, 10, null));
            for (Entry x : page.elements()) {
                seen.add(Bytes.str(x.field()));
            }
            after = page.resumeAfter();
            pages++;
        } while (after != null);
        assertEquals(3, pages, "26 fields, 10 per page, the last page knows it is the last");
        assertEquals(26, seen.size());
        assertEquals(26, new HashSet<>(seen).size());
        assertEquals("", seen.get(0));

        ScanPage<Entry> matched = commit(h -> h.scan(H, null, 100, b("f1?")));
        assertEquals(10, matched.elements().size());
        assertNull(matched.resumeAfter());
        assertTrue(commit(h -> h.scan(b("nokey"), null, 10, null)).elements().isEmpty());
    }

    @Test
    void scanResumesAfterADeletedPosition() throws Exception {
        commit(h -> h.set(H, List.of(e("a", "1"), e("b", "2"), e("c", "3"))));
        ScanPage<Entry> first = commit(h -> h.scan(H, null, 1, null));
        assertArrayEquals(b("a"), first.resumeAfter());
        commit(h -> h.deleteFields(H, List.of(b("a"))));
        ScanPage<Entry> rest = commit(h -> h.scan(H, first.resumeAfter(), 10, null));
        assertEquals(2, rest.elements().size());
        assertArrayEquals(b("b"), rest.elements().get(0).field());
        assertNull(rest.resumeAfter());
    }
}
