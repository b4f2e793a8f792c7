package dev.basalt.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** StringType against a real (temporary) RocksDB: encoding, expiry, types, arithmetic, ranges. */
class StringTypeTest {
    private static final String NS = KeyCodec.DEFAULT_NAMESPACE;
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    private static byte[] b(String s) {
        return Bytes.of(s);
    }

    /** Runs ops in one Txn and commits it, as the dispatcher does for one command. */
    private <T> T inTxn(TxnOp<T> op) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            T r = op.run(txn, new StringType(txn));
            storage.commit(txn);
            return r;
        }
    }

    @FunctionalInterface
    private interface TxnOp<T> {
        T run(Txn txn, StringType strings) throws Exception;
    }

    private byte[] rawMetadata(String key) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            return txn.get(ColumnFamily.METADATA, txn.codec().metadataKey(b(key)));
        }
    }

    /** A hash with one field written directly in Kvrocks's layout (hashes are another helper's work). */
    private long writeHash(String key, long expireAtMs) throws Exception {
        return inTxn((txn, s) -> {
            long version = storage.nextVersion();
            new Keyspace(txn).putMetadata(b(key), new CollectionMetadata(HashType.TYPE, expireAtMs, version, 1));
            txn.put(ColumnFamily.DEFAULT, txn.codec().subkey(b(key), version, b("field")), b("value"));
            return version;
        });
    }

    private boolean subkeyExists(String key, long version) throws Exception {
        try (Txn txn = storage.begin(NS)) {
            return txn.get(ColumnFamily.DEFAULT, txn.codec().subkey(b(key), version, b("field"))) != null;
        }
    }

    @Test
    void setWritesKvrocksStringEncoding() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("k"), b("bar"), 1_700_000_000_123L + 10L * 365 * 24 * 3600 * 1000);
            s.set(b("plain"), b("v"), 0);
            return null;
        });
        assertEquals("81" + "0000000000000000" + "76", HexFormat.of().formatHex(rawMetadata("plain")));
        byte[] raw = rawMetadata("k");
        StringMetadata m = (StringMetadata) Metadata.decode(raw);
        assertEquals(StringType.TYPE, m.type());
        assertArrayEquals(b("bar"), m.value());
        assertEquals(1_700_000_000_123L + 10L * 365 * 24 * 3600 * 1000, m.expireAtMs());
        assertArrayEquals(b("bar"), inTxn((txn, s) -> s.get(b("k"))));
    }

    @Test
    void readsSeeEarlierWritesOfTheSameTxn() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("k"), b("1"), 0);
            assertEquals(2, s.incrBy(b("k"), 1));
            assertEquals(5, s.append(b("k"), b("abcd"), Long.MAX_VALUE));
            assertArrayEquals(b("2abcd"), s.get(b("k")));
            return null;
        });
    }

    @Test
    void expiredStringReadsAsAbsentAndIsReplacedCleanly() throws Exception {
        inTxn((txn, s) -> {
            new Keyspace(txn).putMetadata(b("old"), new StringMetadata(txn.nowMs() - 1000, b("stale")));
            return null;
        });
        assertNull(inTxn((txn, s) -> s.get(b("old"))));
        assertEquals(0L, (long) inTxn((txn, s) -> s.strlen(b("old"))));
        assertEquals(1L, (long) inTxn((txn, s) -> s.incrBy(b("old"), 1)));
        // INCR on an expired key starts from 0 and the new key has no expiry.
        assertEquals(0L, Metadata.decode(rawMetadata("old")).expireAtMs());
    }

    @Test
    void expiryInThePastDeletesTheKey() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("k"), b("v"), 0);
            return null;
        });
        inTxn((txn, s) -> {
            s.set(b("k"), b("w"), txn.nowMs() - 1);
            return null;
        });
        assertNull(rawMetadata("k"));
    }

    @Test
    void wrongTypeForEveryStringOperation() throws Exception {
        writeHash("h", 0);
        List<TxnOp<?>> ops = List.of(
                (txn, s) -> s.get(b("h")),
                (txn, s) -> s.getSet(b("h"), b("x")),
                (txn, s) -> s.getDel(b("h")),
                (txn, s) -> s.getEx(b("h"), null, true, 0),
                (txn, s) -> s.strlen(b("h")),
                (txn, s) -> s.append(b("h"), b("x"), Long.MAX_VALUE),
                (txn, s) -> s.incrBy(b("h"), 1),
                (txn, s) -> s.incrByFloat(b("h"), b("1.5")),
                (txn, s) -> s.getRange(b("h"), 0, -1),
                (txn, s) -> s.setRange(b("h"), 0, b("x"), Long.MAX_VALUE),
                (txn, s) -> s.compareAndSet(b("h"), b("a"), b("b"), 0),
                (txn, s) -> s.compareAndDelete(b("h"), b("a")),
                (txn, s) -> s.set(b("h"), b("v"), StringType.Condition.ALWAYS, 0, false, true));
        for (TxnOp<?> op : ops) {
            ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn(op));
            assertEquals(ErrorReply.WRONGTYPE, e.getMessage());
        }
        ErrorReply lcs = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.lcsOperand(b("h"))));
        assertEquals("ERR The specified keys must contain string values", lcs.getMessage());
        // MGET answers nil for other types instead of failing.
        List<byte[]> values = inTxn((txn, s) -> s.mget(List.of(b("h"), b("missing"))));
        assertNull(values.get(0));
        assertNull(values.get(1));
        // The hash is untouched by all of the above.
        assertEquals(HashType.TYPE, Metadata.decode(rawMetadata("h")).type());
    }

    @Test
    void setOverACollectionReclaimsItsSubkeys() throws Exception {
        long version = writeHash("h", 0);
        assertTrue(subkeyExists("h", version));
        StringType.SetOutcome r = inTxn((txn, s) -> s.set(b("h"), b("v"), StringType.Condition.ALWAYS, 0, false, false));
        assertTrue(r.written());
        assertFalse(subkeyExists("h", version));
        assertArrayEquals(b("v"), inTxn((txn, s) -> s.get(b("h"))));
    }

    @Test
    void creatingOverAnExpiredCollectionReclaimsItsSubkeys() throws Exception {
        long version = writeHash("h", System.currentTimeMillis() - 1000);
        assertTrue(subkeyExists("h", version));
        assertEquals(3L, (long) inTxn((txn, s) -> s.append(b("h"), b("abc"), Long.MAX_VALUE)));
        assertFalse(subkeyExists("h", version));
    }

    @Test
    void nxAndXxLookAtKeysOfAnyType() throws Exception {
        writeHash("h", 0);
        assertFalse((boolean) inTxn((txn, s) -> s.setIfAbsent(b("h"), b("v"))));
        StringType.SetOutcome xx = inTxn((txn, s) -> s.set(b("h"), b("v"), StringType.Condition.IF_PRESENT, 0, false, false));
        assertTrue(xx.written());
        assertArrayEquals(b("v"), inTxn((txn, s) -> s.get(b("h"))));
        StringType.SetOutcome absent = inTxn((txn, s) -> s.set(b("n"), b("v"), StringType.Condition.IF_PRESENT, 0, false, true));
        assertFalse(absent.written());
        assertNull(absent.previous());
        assertNull(rawMetadata("n"));
    }

    @Test
    void keepTtlKeepsTheExpiry() throws Exception {
        long at = System.currentTimeMillis() + 100_000;
        inTxn((txn, s) -> {
            s.set(b("k"), b("v"), at);
            return null;
        });
        StringType.SetOutcome r = inTxn((txn, s) -> s.set(b("k"), b("w"), StringType.Condition.ALWAYS, 0, true, true));
        assertArrayEquals(b("v"), r.previous());
        assertEquals(at, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
        inTxn((txn, s) -> s.set(b("k"), b("x"), StringType.Condition.ALWAYS, 0, false, false));
        assertEquals(0L, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
    }

    @Test
    void inPlaceUpdatesKeepTheExpiryButGetSetDropsIt() throws Exception {
        long at = System.currentTimeMillis() + 100_000;
        inTxn((txn, s) -> {
            s.set(b("k"), b("10"), at);
            s.incrBy(b("k"), 5);
            s.incrByFloat(b("k"), b("0.5"));
            s.append(b("k"), b("0"), Long.MAX_VALUE);
            s.setRange(b("k"), 0, b("2"), Long.MAX_VALUE);
            return null;
        });
        assertEquals(at, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
        assertArrayEquals(b("25.50"), inTxn((txn, s) -> s.get(b("k"))));
        assertArrayEquals(b("25.50"), inTxn((txn, s) -> s.getSet(b("k"), b("new"))));
        assertEquals(0L, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
    }

    @Test
    void getExChangesOrDropsTheExpiry() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("k"), b("v"), 0);
            return null;
        });
        long at = System.currentTimeMillis() + 50_000;
        assertArrayEquals(b("v"), inTxn((txn, s) -> s.getEx(b("k"), () -> at, false, 0)));
        assertEquals(at, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
        assertArrayEquals(b("v"), inTxn((txn, s) -> s.getEx(b("k"), null, true, 0)));
        assertEquals(0L, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
        // An absolute time already past deletes the key (the value is still returned).
        assertArrayEquals(b("v"), inTxn((txn, s) -> s.getEx(b("k"), () -> 1L, false, 0)));
        assertNull(rawMetadata("k"));
        // A missing key never evaluates the expiry (Redis answers nil before validating it).
        assertNull(inTxn((txn, s) -> s.getEx(b("k"), () -> {
            throw new ErrorReply("ERR must not be evaluated");
        }, false, 0)));
    }

    @Test
    void incrByChecksIntegersAndOverflow() throws Exception {
        assertEquals(-3L, (long) inTxn((txn, s) -> s.incrBy(b("n"), -3)));
        inTxn((txn, s) -> {
            s.set(b("max"), b(Long.toString(Long.MAX_VALUE)), 0);
            s.set(b("min"), b(Long.toString(Long.MIN_VALUE)), 0);
            return null;
        });
        for (String bad : new String[] {" 1", "+1", "01", "-0", "1 ", "", "1.0", "9223372036854775808", "abc"}) {
            inTxn((txn, s) -> {
                s.set(b("bad"), b(bad), 0);
                return null;
            });
            ErrorReply e = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.incrBy(b("bad"), 1)));
            assertEquals(ErrorReply.NOT_INTEGER, e.getMessage(), "value '" + bad + "'");
        }
        ErrorReply up = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.incrBy(b("max"), 1)));
        assertEquals(StringType.OVERFLOW, up.getMessage());
        ErrorReply down = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.incrBy(b("min"), -1)));
        assertEquals(StringType.OVERFLOW, down.getMessage());
        assertEquals(-1L, (long) inTxn((txn, s) -> s.incrBy(b("max"), Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE - 1, (long) inTxn((txn, s) -> s.incrBy(b("max"), Long.MAX_VALUE)));
    }

    @Test
    void incrByFloatUsesLongDoublePrecisionAndRedisFormatting() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("f"), b("10.50"), 0);
            return null;
        });
        assertEquals("10.6", inTxn((txn, s) -> s.incrByFloat(b("f"), b("0.1"))));
        assertEquals("5.6", inTxn((txn, s) -> s.incrByFloat(b("f"), b("-5"))));
        assertArrayEquals(b("5.6"), inTxn((txn, s) -> s.get(b("f"))));
        assertEquals("5200", inTxn((txn, s) -> {
            s.set(b("g"), b("5.0e3"), 0);
            return s.incrByFloat(b("g"), b("2.0e2"));
        }));
        ErrorReply nan = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.incrByFloat(b("f"), b("inf"))));
        assertEquals(StringType.NOT_FINITE, nan.getMessage());
        ErrorReply bad = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.incrByFloat(b("f"), b("nan"))));
        assertEquals(ErrorReply.NOT_FLOAT, bad.getMessage());
    }

    @Test
    void rangesFollowRedisClamping() throws Exception {
        inTxn((txn, s) -> {
            s.set(b("s"), b("Hello World"), 0);
            return null;
        });
        assertEquals("Hell", Bytes.str(inTxn((txn, s) -> s.getRange(b("s"), 0, 3))));
        assertEquals("orld", Bytes.str(inTxn((txn, s) -> s.getRange(b("s"), -4, -1))));
        assertEquals("", Bytes.str(inTxn((txn, s) -> s.getRange(b("s"), 5, 3))));
        assertEquals("", Bytes.str(inTxn((txn, s) -> s.getRange(b("s"), -2, -5))));
        assertEquals("Hello World", Bytes.str(inTxn((txn, s) -> s.getRange(b("s"), Long.MIN_VALUE, Long.MAX_VALUE))));
        assertEquals("", Bytes.str(inTxn((txn, s) -> s.getRange(b("missing"), 0, -1))));
    }

    @Test
    void setRangePadsWithZerosAndRespectsTheLimit() throws Exception {
        assertEquals(0L, (long) inTxn((txn, s) -> s.setRange(b("n"), 100, b(""), 10)));
        assertNull(rawMetadata("n"));
        assertEquals(5L, (long) inTxn((txn, s) -> s.setRange(b("n"), 3, b("ab"), 10)));
        assertArrayEquals(new byte[] {0, 0, 0, 'a', 'b'}, inTxn((txn, s) -> s.get(b("n"))));
        assertEquals(5L, (long) inTxn((txn, s) -> s.setRange(b("n"), 0, b("xy"), 10)));
        assertArrayEquals(new byte[] {'x', 'y', 0, 'a', 'b'}, inTxn((txn, s) -> s.get(b("n"))));
        assertEquals(10L, (long) inTxn((txn, s) -> s.setRange(b("n"), 9, b("z"), 10)));
        ErrorReply big = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.setRange(b("n"), 10, b("z"), 10)));
        assertEquals(StringType.TOO_LONG, big.getMessage());
        ErrorReply huge = assertThrows(ErrorReply.class,
                () -> inTxn((txn, s) -> s.setRange(b("n"), Long.MAX_VALUE, b("z"), 10)));
        assertEquals(StringType.TOO_LONG, huge.getMessage());
        ErrorReply append = assertThrows(ErrorReply.class, () -> inTxn((txn, s) -> s.append(b("n"), b("z"), 10)));
        assertEquals(StringType.TOO_LONG, append.getMessage());
    }

    @Test
    void casAndCad() throws Exception {
        assertEquals(-1, (int) inTxn((txn, s) -> s.compareAndSet(b("k"), b("a"), b("b"), 0)));
        assertNull(rawMetadata("k"));
        long at = System.currentTimeMillis() + 60_000;
        inTxn((txn, s) -> {
            s.set(b("k"), b("a"), at);
            return null;
        });
        assertEquals(0, (int) inTxn((txn, s) -> s.compareAndSet(b("k"), b("x"), b("b"), 0)));
        assertEquals(at, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))));
        assertEquals(1, (int) inTxn((txn, s) -> s.compareAndSet(b("k"), b("a"), b("b"), 0)));
        assertArrayEquals(b("b"), inTxn((txn, s) -> s.get(b("k"))));
        assertEquals(0L, (long) inTxn((txn, s) -> s.expireAtMs(b("k"))), "CAS without an expiry drops the old one");
        assertEquals(0, (int) inTxn((txn, s) -> s.compareAndDelete(b("k"), b("a"))));
        assertEquals(1, (int) inTxn((txn, s) -> s.compareAndDelete(b("k"), b("b"))));
        assertNull(rawMetadata("k"));
        assertEquals(-1, (int) inTxn((txn, s) -> s.compareAndDelete(b("k"), b("b"))));
    }

    @Test
    void msetnxWritesNothingWhenAnyKeyExists() throws Exception {
        writeHash("h", 0);
        assertFalse((boolean) inTxn((txn, s) -> s.msetIfNoneExist(List.of(b("a"), b("1"), b("h"), b("2")))));
        assertNull(rawMetadata("a"));
        assertTrue((boolean) inTxn((txn, s) -> s.msetIfNoneExist(List.of(b("a"), b("1"), b("b"), b("2"), b("a"), b("3")))));
        List<byte[]> values = inTxn((txn, s) -> s.mget(List.of(b("a"), b("b"))));
        assertArrayEquals(b("3"), values.get(0));
        assertArrayEquals(b("2"), values.get(1));
    }

    @Test
    void lcsMatchesRedisRanges() {
        StringType.LcsResult r = StringType.lcs(b("ohmytext"), b("mynewtext"), 0);
        assertEquals(6, r.length());
        assertEquals("mytext", Bytes.str(r.sequence()));
        assertEquals(List.of(new StringType.LcsMatch(4, 7, 5, 8), new StringType.LcsMatch(2, 3, 0, 1)), r.matches());
        assertEquals(List.of(new StringType.LcsMatch(4, 7, 5, 8)), StringType.lcs(b("ohmytext"), b("mynewtext"), 4).matches());
        assertEquals(6, StringType.lcsLength(b("ohmytext"), b("mynewtext")));
        assertEquals(0, StringType.lcsLength(b("abc"), b("")));
        StringType.LcsResult empty = StringType.lcs(b(""), b("abc"), 0);
        assertEquals(0, empty.length());
        assertTrue(empty.matches().isEmpty());
    }
}
