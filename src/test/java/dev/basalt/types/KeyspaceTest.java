package dev.basalt.types;

import static dev.basalt.types.KeyspaceFixtures.NS;
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
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The generic key layer against a real Storage: expiry, rename/copy of every type, iteration, wipe, OBJECT. */
class KeyspaceTest {
    private static final long HOUR = 3_600_000;
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    private interface TxnBody<T> {
        T run(Keyspace ks) throws Exception;
    }

    /** Runs body in one Txn of the default namespace and commits it. */
    private <T> T inTxn(TxnBody<T> body) throws Exception {
        return inTxn(NS, body);
    }

    private <T> T inTxn(String ns, TxnBody<T> body) throws Exception {
        try (Txn t = storage.begin(ns)) {
            openTxn = t;
            T result = body.run(new Keyspace(t));
            storage.commit(t);
            return result;
        } finally {
            openTxn = null;
        }
    }

    /** The Txn of the running {@link #inTxn} body, for the key classes beside its Keyspace. */
    private Txn openTxn;

    private KeyScan scanner() {
        return new KeyScan(openTxn);
    }

    private KeyCopy copier() {
        return new KeyCopy(openTxn);
    }

    private ObjectInfo objectInfo() {
        return new ObjectInfo(openTxn);
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    private static List<String> strs(List<byte[]> keys) {
        List<String> out = new ArrayList<>();
        for (byte[] k : keys) {
            out.add(Bytes.str(k));
        }
        return out;
    }

    // ---- lookup and delete --------------------------------------------------------------------

    @Test
    void expiredKeysAreInvisibleAndWrongTypeIsReported() throws Exception {
        KeyspaceFixtures.string(storage, NS, "live", "v", 0);
        KeyspaceFixtures.string(storage, NS, "gone", "v", now() - 1000);
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        inTxn(ks -> {
            assertTrue(ks.exists(b("live")));
            assertFalse(ks.exists(b("gone")));
            assertNull(ks.type(b("gone")));
            assertEquals("none", ks.typeName(b("gone")));
            assertEquals(HashType.TYPE, ks.type(b("h")));
            assertEquals("hash", ks.typeName(b("h")));
            assertThrows(ErrorReply.class, () -> ks.metadata(b("h"), StringType.TYPE));
            assertNotNull(ks.metadata(b("h"), HashType.TYPE));
            return null;
        });
    }

    @Test
    void deletingCollectionsLeavesNoSubkeys() throws Exception {
        long hv = KeyspaceFixtures.hash(storage, NS, "h", 0, "a", "1", "b", "2");
        long zv = KeyspaceFixtures.zset(storage, NS, "z", 0, 1.5, "m1", -2, "m2");
        long ev = KeyspaceFixtures.set(storage, NS, "expired", now() - 1000, "x", "y");
        KeyspaceFixtures.string(storage, NS, "s", "v", 0);
        assertEquals(2, KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.ZSET_SCORE, "z", zv).size());
        boolean[] alive = inTxn(ks -> new boolean[] {ks.delete(b("h")), ks.delete(b("z")), ks.delete(b("expired")),
                ks.delete(b("s")), ks.delete(b("missing"))});
        assertArrayEquals(new boolean[] {true, true, false, true, false}, alive);
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.ZSET_SCORE));
        assertNotEquals(hv, ev);
    }

    // ---- expiry -------------------------------------------------------------------------------

    @Test
    void expireConditionsFollowRedis7() throws Exception {
        KeyspaceFixtures.string(storage, NS, "k", "v", 0);
        long t1 = now() + HOUR;
        long t2 = now() + 2 * HOUR;
        inTxn(ks -> {
            // No expiry yet: XX and GT refuse (no TTL counts as infinite), NX and LT set it.
            assertFalse(ks.expire(b("k"), t1, Keyspace.EXPIRE_XX));
            assertFalse(ks.expire(b("k"), t1, Keyspace.EXPIRE_GT));
            assertTrue(ks.expire(b("k"), t2, Keyspace.EXPIRE_LT));
            assertEquals(t2, ks.expireTimeMs(b("k")));
            // Has one now: NX refuses; GT needs later, LT earlier.
            assertFalse(ks.expire(b("k"), t1, Keyspace.EXPIRE_NX));
            assertFalse(ks.expire(b("k"), t1, Keyspace.EXPIRE_GT));
            assertFalse(ks.expire(b("k"), t2, Keyspace.EXPIRE_GT));
            assertTrue(ks.expire(b("k"), t2 + 1, Keyspace.EXPIRE_GT | Keyspace.EXPIRE_XX));
            assertFalse(ks.expire(b("k"), t2 + 1, Keyspace.EXPIRE_LT));
            assertTrue(ks.expire(b("k"), t1, Keyspace.EXPIRE_LT));
            assertEquals(t1, ks.expireTimeMs(b("k")));
            assertTrue(ks.expire(b("k"), t2, 0));
            assertFalse(ks.expire(b("missing"), t2, 0));
            return null;
        });
        inTxn(ks -> {
            long ttl = ks.ttlMs(b("k"));
            assertTrue(ttl > 2 * HOUR - 60_000 && ttl <= 2 * HOUR, "ttl " + ttl);
            assertEquals(-2, ks.ttlMs(b("missing")));
            assertEquals(-2, ks.expireTimeMs(b("missing")));
            assertTrue(ks.persist(b("k")));
            assertFalse(ks.persist(b("k")));
            assertFalse(ks.persist(b("missing")));
            assertEquals(-1, ks.ttlMs(b("k")));
            assertEquals(-1, ks.expireTimeMs(b("k")));
            return null;
        });
    }

    @Test
    void expireInThePastDeletesTheKeyAndItsSubkeys() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        KeyspaceFixtures.list(storage, NS, "l", 0, "a", "b", "c");
        inTxn(ks -> {
            assertTrue(ks.expire(b("h"), ks.nowMs(), 0));
            assertTrue(ks.expire(b("l"), -5000, 0));
            assertFalse(ks.exists(b("h")));
            return null;
        });
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.METADATA));
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT));
    }

    @Test
    void deleteIfExpiredOnlyTouchesExpiredKeys() throws Exception {
        long v = KeyspaceFixtures.hash(storage, NS, "old", now() - 10, "f", "v");
        KeyspaceFixtures.hash(storage, NS, "fresh", now() + HOUR, "f", "v");
        KeyspaceFixtures.string(storage, NS, "plain", "v", 0);
        assertArrayEquals(new boolean[] {true, false, false, false}, inTxn(ks -> new boolean[] {
            ks.deleteIfExpired(b("old")), ks.deleteIfExpired(b("fresh")), ks.deleteIfExpired(b("plain")),
            ks.deleteIfExpired(b("missing"))}));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "old"));
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "old", v));
        assertNotNull(KeyspaceFixtures.rawMetadata(storage, NS, "fresh"));
    }

    // ---- rename and copy ----------------------------------------------------------------------

    @Test
    void renameMovesAHashWithANewVersionAndReclaimsTheTarget() throws Exception {
        long expireAt = now() + HOUR;
        long srcVersion = KeyspaceFixtures.hash(storage, NS, "src", expireAt, "a", "1", "b", "2");
        long oldDst = KeyspaceFixtures.set(storage, NS, "dst", 0, "stale");
        assertEquals(KeyCopy.RenameResult.RENAMED, inTxn(ks -> copier().rename(b("src"), b("dst"), false)));
        VersionedMetadata m = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "dst");
        assertEquals(HashType.TYPE, m.type());
        assertEquals(2, m.size());
        assertEquals(expireAt, m.expireAtMs());
        assertNotEquals(srcVersion, m.version());
        List<byte[][]> fields = KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "dst", m.version());
        assertEquals(2, fields.size());
        assertEquals("a", Bytes.str(fields.get(0)[0]));
        assertEquals("1", Bytes.str(fields.get(0)[1]));
        assertEquals("b", Bytes.str(fields.get(1)[0]));
        assertEquals("2", Bytes.str(fields.get(1)[1]));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "src"));
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "src", srcVersion));
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "dst", oldDst));
        assertEquals(2, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
    }

    @Test
    void renameAndCopyCarryBothZsetColumnFamilies() throws Exception {
        long v = KeyspaceFixtures.zset(storage, NS, "z", 0, 1, "one", 2.5, "two", -3, "minus");
        assertEquals(true, inTxn(ks -> copier().copy(b("z"), b("z2"), false)));
        assertEquals(KeyCopy.RenameResult.RENAMED, inTxn(ks -> copier().rename(b("z"), b("z3"), false)));
        VersionedMetadata m2 = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "z2");
        VersionedMetadata m3 = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "z3");
        assertNotEquals(m2.version(), m3.version());
        for (VersionedMetadata m : List.of(m2, m3)) {
            String key = m == m2 ? "z2" : "z3";
            assertEquals(List.of("minus", "one", "two"),
                    KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, key, m.version()));
            List<byte[][]> byScore = KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.ZSET_SCORE, key, m.version());
            assertEquals(3, byScore.size());
            assertArrayEquals(KeyspaceFixtures.orderedDouble(-3), java.util.Arrays.copyOf(byScore.get(0)[0], 8));
            assertEquals("minus", Bytes.str(java.util.Arrays.copyOfRange(byScore.get(0)[0], 8, byScore.get(0)[0].length)));
        }
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.ZSET_SCORE, "z", v));
        assertEquals(6, KeyspaceFixtures.entries(storage, ColumnFamily.ZSET_SCORE).size());
    }

    @Test
    void copyKeepsTheSourceAndTheCopyIsIndependent() throws Exception {
        KeyspaceFixtures.string(storage, NS, "s", "hello", now() + HOUR);
        long lv = KeyspaceFixtures.list(storage, NS, "l", 0, "a", "b");
        KeyspaceFixtures.string(storage, NS, "taken", "x", 0);
        inTxn(ks -> {
            assertTrue(copier().copy(b("s"), b("s2"), false));
            assertFalse(copier().copy(b("s"), b("taken"), false));
            assertTrue(copier().copy(b("l"), b("taken"), true));
            assertFalse(copier().copy(b("missing"), b("x"), true));
            return null;
        });
        StringMetadata s2 = (StringMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "s2");
        assertEquals("hello", Bytes.str(s2.value()));
        assertEquals(KeyspaceFixtures.rawMetadata(storage, NS, "s").expireAtMs(), s2.expireAtMs());
        ListMetadata copy = (ListMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "taken");
        assertEquals(ListType.TYPE, copy.type());
        assertEquals(ListMetadata.INITIAL_INDEX, copy.head());
        assertEquals(ListMetadata.INITIAL_INDEX + 2, copy.tail());
        assertEquals(2, KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "taken", copy.version()).size());
        // Deleting the copy leaves the source's items alone.
        inTxn(ks -> ks.delete(b("taken")));
        assertEquals(2, KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "l", lv).size());
        assertEquals(2, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
    }

    @Test
    void copyOfALargeCollectionGoesInChunks() throws Exception {
        String[] fields = new String[2 * 2500];
        for (int i = 0; i < 2500; i++) {
            fields[2 * i] = String.format("f%05d", i);
            fields[2 * i + 1] = "v" + i;
        }
        KeyspaceFixtures.hash(storage, NS, "big", 0, fields);
        assertEquals(true, inTxn(ks -> copier().copy(b("big"), b("big2"), false)));
        VersionedMetadata m = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "big2");
        List<byte[][]> copied = KeyspaceFixtures.subkeyEntries(storage, NS, ColumnFamily.DEFAULT, "big2", m.version());
        assertEquals(2500, copied.size());
        assertEquals("f02499", Bytes.str(copied.get(2499)[0]));
        assertEquals("v2499", Bytes.str(copied.get(2499)[1]));
    }

    @Test
    void renamesWithinOneTxnSeeEachOther() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "a", 0, "f", "v");
        inTxn(ks -> {
            assertEquals(KeyCopy.RenameResult.RENAMED, copier().rename(b("a"), b("b"), false));
            assertEquals(KeyCopy.RenameResult.RENAMED, copier().rename(b("b"), b("a"), false));
            assertTrue(copier().copy(b("a"), b("c"), false));
            assertTrue(ks.delete(b("c")));
            assertTrue(copier().copy(b("a"), b("c"), false));
            return null;
        });
        for (String key : List.of("a", "c")) {
            VersionedMetadata m = (VersionedMetadata) KeyspaceFixtures.rawMetadata(storage, NS, key);
            assertEquals(List.of("f"), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, key, m.version()));
        }
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "b"));
        assertEquals(2, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
    }

    @Test
    void renameEdgeCases() throws Exception {
        KeyspaceFixtures.string(storage, NS, "a", "1", 0);
        KeyspaceFixtures.string(storage, NS, "b", "2", 0);
        KeyspaceFixtures.string(storage, NS, "dead", "x", now() - 1000);
        inTxn(ks -> {
            assertEquals(KeyCopy.RenameResult.NO_SUCH_KEY, copier().rename(b("missing"), b("a"), false));
            assertEquals(KeyCopy.RenameResult.NO_SUCH_KEY, copier().rename(b("dead"), b("a"), true));
            assertEquals(KeyCopy.RenameResult.RENAMED, copier().rename(b("a"), b("a"), false));
            assertEquals(KeyCopy.RenameResult.TARGET_EXISTS, copier().rename(b("a"), b("a"), true));
            assertEquals(KeyCopy.RenameResult.TARGET_EXISTS, copier().rename(b("a"), b("b"), true));
            assertEquals(KeyCopy.RenameResult.RENAMED, copier().rename(b("a"), b("dead"), true));
            return null;
        });
        assertEquals("1", Bytes.str(((StringMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "dead")).value()));
        assertNull(KeyspaceFixtures.rawMetadata(storage, NS, "a"));
    }

    // ---- iteration ----------------------------------------------------------------------------

    @Test
    void scanVisitsEveryLiveKeyOnceInBoundedPages() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 100; i++) {
            KeyspaceFixtures.string(storage, NS, "key:" + i, "v", 0);
            expected.add("key:" + i);
        }
        for (int i = 0; i < 30; i++) {
            KeyspaceFixtures.string(storage, NS, "key:dead" + i, "v", now() - 1000);
        }
        KeyspaceFixtures.string(storage, "other", "key:elsewhere", "v", 0);
        List<String> seen = new ArrayList<>();
        byte[] after = null;
        int pages = 0;
        do {
            byte[] from = after;
            ScanPage<byte[]> page = inTxn(ks -> scanner().scan(from, 7, null, null));
            assertTrue(page.elements().size() <= 7);
            seen.addAll(strs(page.elements()));
            after = page.resumeAfter();
            pages++;
        } while (after != null);
        assertEquals(100, seen.size());
        assertEquals(expected, new TreeSet<>(seen));
        assertTrue(pages >= 15, "pages " + pages);
    }

    @Test
    void scanFiltersByPatternAndType() throws Exception {
        KeyspaceFixtures.string(storage, NS, "user:1", "v", 0);
        KeyspaceFixtures.string(storage, NS, "user:2", "v", 0);
        KeyspaceFixtures.hash(storage, NS, "user:3", 0, "f", "v");
        KeyspaceFixtures.string(storage, NS, "item:1", "v", 0);
        inTxn(ks -> {
            assertEquals(List.of("user:1", "user:2", "user:3"), strs(scanner().scan(null, 100, b("user:*"), null).elements()));
            assertEquals(List.of("user:3"), strs(scanner().scan(null, 100, b("user:*"), "HASH").elements()));
            assertEquals(List.of("item:1", "user:1", "user:2"), strs(scanner().scan(null, 100, null, "string").elements()));
            assertEquals(List.of(), strs(scanner().scan(null, 100, null, "nosuchtype").elements()));
            assertEquals(List.of("item:1", "user:1"), strs(scanner().scan(null, 100, b("*:1"), null).elements()));
            // Resuming after a key outside the pattern's literal prefix still finds the rest.
            assertEquals(List.of("user:2", "user:3"), strs(scanner().scan(b("user:1"), 100, b("user:*"), null).elements()));
            assertEquals(List.of("user:1", "user:2", "user:3"), strs(scanner().scan(b("a"), 100, b("user:*"), null).elements()));
            assertNull(scanner().scan(null, 100, b("user:*"), null).resumeAfter());
            return null;
        });
    }

    @Test
    void scanWorkIsBoundedBySparseMatches() throws Exception {
        for (int i = 0; i < 50; i++) {
            KeyspaceFixtures.string(storage, NS, String.format("k%03d", i), "v", 0);
        }
        ScanPage<byte[]> page = inTxn(ks -> scanner().scan(null, 1, b("*9"), null));
        // count 1 examines at most 10 entries: k000..k009, of which k009 matches.
        assertEquals(List.of("k009"), strs(page.elements()));
        assertNotNull(page.resumeAfter());
    }

    @Test
    void keysMatchesGlobsAndLiteralNames() throws Exception {
        KeyspaceFixtures.string(storage, NS, "hello", "v", 0);
        KeyspaceFixtures.string(storage, NS, "hallo", "v", 0);
        KeyspaceFixtures.string(storage, NS, "hxllo", "v", now() - 1000);
        KeyspaceFixtures.string(storage, NS, "h*llo", "v", 0);
        inTxn(ks -> {
            assertEquals(List.of("h*llo", "hallo", "hello"), strs(scanner().keys(b("*"))));
            assertEquals(List.of("hallo", "hello"), strs(scanner().keys(b("h[ae]llo"))));
            assertEquals(List.of("h*llo"), strs(scanner().keys(b("h\\*llo"))));
            assertEquals(List.of("hello"), strs(scanner().keys(b("hello"))));
            assertEquals(List.of(), strs(scanner().keys(b("hxllo"))));
            return null;
        });
    }

    @Test
    void statsCountLiveKeysExpiriesAndMeanTtl() throws Exception {
        KeyspaceFixtures.string(storage, NS, "a", "v", 0);
        KeyspaceFixtures.string(storage, NS, "b", "v", now() + HOUR);
        KeyspaceFixtures.hash(storage, NS, "c", now() + 3 * HOUR, "f", "v");
        KeyspaceFixtures.string(storage, NS, "dead", "v", now() - 1000);
        KeyspaceFixtures.string(storage, "other", "x", "v", 0);
        KeyScan.KeyspaceStats stats = inTxn(ks -> scanner().stats());
        assertEquals(3, stats.keys());
        assertEquals(2, stats.expires());
        assertTrue(stats.avgTtlMs() > 2 * HOUR - 60_000 && stats.avgTtlMs() <= 2 * HOUR, "avg " + stats.avgTtlMs());
        assertEquals(1, stats.expired(), "the expired key whose metadata is still stored");
        assertEquals(3, (long) inTxn(ks -> scanner().stats().keys()));
        assertEquals(1, (long) inTxn("other", ks -> scanner().stats().keys()));
        assertEquals(new KeyScan.KeyspaceStats(0, 0, 0, 0), inTxn("empty", ks -> scanner().stats()));
    }

    @Test
    void randomKeyPicksLiveKeysSpreadOverTheKeyspace() throws Exception {
        assertNull(inTxn(ks -> scanner().randomKey()));
        KeyspaceFixtures.string(storage, NS, "dead", "v", now() - 1000);
        assertNull(inTxn(ks -> scanner().randomKey()));
        KeyspaceFixtures.string(storage, NS, "only", "v", 0);
        assertEquals("only", Bytes.str(inTxn(ks -> scanner().randomKey())));
        for (int i = 0; i < 200; i++) {
            KeyspaceFixtures.string(storage, NS, "user:" + String.format("%04d", i), "v", 0);
        }
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String k = Bytes.str(inTxn(ks -> scanner().randomKey()));
            assertNotEquals("dead", k);
            picked.add(k);
        }
        // 100 uniform draws over 201 keys give ~78 distinct keys; fewer than 40 would be a broken pick.
        assertTrue(picked.size() > 40, "distinct " + picked.size());
    }

    @Test
    void randomKeyOverALargeKeyspaceStillSpreads() throws Exception {
        int n = KeyScan.RANDOM_EXACT_LIMIT + 500;
        try (Txn t = storage.begin(NS)) {
            Keyspace ks = new Keyspace(t);
            for (int i = 0; i < n; i++) {
                ks.putMetadata(b(String.format("user:%05d", i)), new StringMetadata(0, b("v")));
            }
            storage.commit(t);
        }
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            picked.add(Bytes.str(inTxn(ks -> scanner().randomKey())));
        }
        assertTrue(picked.size() > 20, "distinct " + picked.size());
    }

    // ---- wipe ---------------------------------------------------------------------------------

    @Test
    void wipeEmptiesOneNamespaceAndTouchesOnlyExistingWatchedKeys() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "h", 0, "f", "v");
        KeyspaceFixtures.string(storage, NS, "s", "v", 0);
        long otherVersion = KeyspaceFixtures.hash(storage, "tenant", "h", 0, "f", "v");
        try (Txn t = storage.begin(NS)) {
            new Keyspace(t).wipe(List.of(b("s"), b("absent")));
            assertEquals(List.of("s"), strs(t.touchedKeys().stream().map(new KeyCodec(NS)::userKeyOf).toList()));
            storage.commit(t);
        }
        assertEquals(0, (long) inTxn(ks -> scanner().stats().keys()));
        assertEquals(1, (long) inTxn("tenant", ks -> scanner().stats().keys()));
        assertEquals(List.of("f"), KeyspaceFixtures.subkeys(storage, "tenant", ColumnFamily.DEFAULT, "h", otherVersion));
        assertEquals(1, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
    }

    // ---- OBJECT -------------------------------------------------------------------------------

    @Test
    void stringEncodingsFollowRedis70() {
        assertEquals("int", StringType.encodingOf(b("0")));
        assertEquals("int", StringType.encodingOf(b("-9223372036854775808")));
        assertEquals("int", StringType.encodingOf(b("1234567890123456789")));
        assertEquals("embstr", StringType.encodingOf(b("9223372036854775808")));
        assertEquals("embstr", StringType.encodingOf(b("-0")));
        assertEquals("embstr", StringType.encodingOf(b("007")));
        assertEquals("embstr", StringType.encodingOf(b("+1")));
        assertEquals("embstr", StringType.encodingOf(b(" 1")));
        assertEquals("embstr", StringType.encodingOf(b("")));
        assertEquals("embstr", StringType.encodingOf(b("a".repeat(44))));
        assertEquals("raw", StringType.encodingOf(b("a".repeat(45))));
    }

    @Test
    void collectionEncodingsFollowRedis70Thresholds() throws Exception {
        KeyspaceFixtures.hash(storage, NS, "h64", 0, "f", "a".repeat(64));
        KeyspaceFixtures.hash(storage, NS, "h65", 0, "f", "a".repeat(65));
        KeyspaceFixtures.hash(storage, NS, "hfield65", 0, "a".repeat(65), "v");
        String[] many = new String[2 * 513];
        for (int i = 0; i < 513; i++) {
            many[2 * i] = "f" + i;
            many[2 * i + 1] = "v";
        }
        KeyspaceFixtures.hash(storage, NS, "h513", 0, many);
        KeyspaceFixtures.set(storage, NS, "ints", 0, "1", "2", "-3");
        KeyspaceFixtures.set(storage, NS, "padded", 0, "1", "007");
        KeyspaceFixtures.set(storage, NS, "words", 0, "a");
        KeyspaceFixtures.zset(storage, NS, "z", 0, 1, "a");
        KeyspaceFixtures.zset(storage, NS, "zlong", 0, 1, "a".repeat(65));
        Object[] zmany = new Object[2 * 129];
        for (int i = 0; i < 129; i++) {
            zmany[2 * i] = i;
            zmany[2 * i + 1] = "m" + i;
        }
        KeyspaceFixtures.zset(storage, NS, "z129", 0, zmany);
        KeyspaceFixtures.list(storage, NS, "l", 0, "a");
        KeyspaceFixtures.string(storage, NS, "n", "9999", 0);
        KeyspaceFixtures.string(storage, NS, "big", "10000", 0);
        inTxn(ks -> {
            assertEquals("listpack", objectInfo().objectEncoding(b("h64")));
            assertEquals("hashtable", objectInfo().objectEncoding(b("h65")));
            assertEquals("hashtable", objectInfo().objectEncoding(b("hfield65")));
            assertEquals("hashtable", objectInfo().objectEncoding(b("h513")));
            assertEquals("intset", objectInfo().objectEncoding(b("ints")));
            assertEquals("hashtable", objectInfo().objectEncoding(b("padded")));
            assertEquals("hashtable", objectInfo().objectEncoding(b("words")));
            assertEquals("listpack", objectInfo().objectEncoding(b("z")));
            assertEquals("skiplist", objectInfo().objectEncoding(b("zlong")));
            assertEquals("skiplist", objectInfo().objectEncoding(b("z129")));
            assertEquals("quicklist", objectInfo().objectEncoding(b("l")));
            assertEquals("int", objectInfo().objectEncoding(b("n")));
            assertNull(objectInfo().objectEncoding(b("missing")));
            assertEquals(Integer.MAX_VALUE, objectInfo().objectRefcount(b("n")));
            assertEquals(1, objectInfo().objectRefcount(b("big")));
            assertEquals(1, objectInfo().objectRefcount(b("l")));
            assertNull(objectInfo().objectRefcount(b("missing")));
            return null;
        });
    }

    @Test
    void canonicalLongsAreWhatString2llAccepts() {
        for (String ok : List.of("0", "-1", "42", "9223372036854775807", "-9223372036854775808")) {
            assertTrue(dev.basalt.util.RedisNumbers.isLong(b(ok)), ok);
        }
        for (String bad : List.of("", "-", "-0", "01", "+1", " 1", "1 ", "1.0", "9223372036854775808", "abc")) {
            assertFalse(dev.basalt.util.RedisNumbers.isLong(b(bad)), bad);
        }
    }

    @Test
    void storageFailuresSurface() throws Exception {
        KeyspaceFixtures.string(storage, NS, "a", "v", 0);
        storage.injectWriteFailure("IO error: injected");
        try (Txn t = storage.begin(NS)) {
            new Keyspace(t).delete(b("a"));
            assertThrows(StorageException.class, () -> storage.commit(t));
        } finally {
            storage.injectWriteFailure(null);
        }
        assertNotNull(KeyspaceFixtures.rawMetadata(storage, NS, "a"));
    }
}
