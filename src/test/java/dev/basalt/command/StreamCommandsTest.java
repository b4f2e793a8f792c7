package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.SharedServer;
import dev.basalt.util.Bytes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the conformance scripts cannot show: auto-generated IDs, the storage a deleted, expired, renamed
 * or overwritten stream leaves behind (nothing, in the stream column family), SCAN TYPE, transactions,
 * and the one ID Kvrocks's layout cannot hold.
 */
class StreamCommandsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** How many subkeys of any version of the key are in the stream column family. */
    private static int streamSubkeys(String key) {
        Storage storage = server.server().storage();
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE); TxnIterator it = t.iterator(ColumnFamily.STREAM)) {
            byte[] withVersion = t.codec().subkeyPrefix(Bytes.of(key), 0);
            byte[] prefix = Arrays.copyOf(withVersion, withVersion.length - 8);
            int n = 0;
            for (it.seek(prefix); it.isValid() && Bytes.startsWith(it.key(), prefix); it.next()) {
                n++;
            }
            return n;
        }
    }

    /** A stream with entries, a group, consumers and pending entries: 5 entries, 1 group, 2 consumers, 3 pending. */
    private static void populate(RawClient c, String key) {
        for (int i = 1; i <= 5; i++) {
            c.call("XADD", key, i + "-0", "f", "v" + i);
        }
        c.call("XGROUP", "CREATE", key, "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", key, ">");
        c.call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", key, ">");
        assertEquals(11, streamSubkeys(key));
    }

    @Test
    void autoIdsAreTheClockThenTheSequence() {
        try (RawClient c = server.raw()) {
            long before = System.currentTimeMillis();
            Set<String> ids = new HashSet<>();
            String previous = "0-0";
            for (int i = 0; i < 200; i++) {
                String id = RespValue.parse(c.call("XADD", "auto", "*", "f", "v")).text();
                assertTrue(compare(id, previous) > 0, id + " after " + previous);
                assertTrue(ids.add(id));
                previous = id;
            }
            long ms = Long.parseLong(previous.substring(0, previous.indexOf('-')));
            assertTrue(ms >= before && ms <= System.currentTimeMillis(), "ms part is the clock: " + previous);
            String partial = RespValue.parse(c.call("XADD", "auto", ms + "-*", "f", "v")).text();
            assertTrue(compare(partial, previous) > 0, partial);
        }
    }

    private static int compare(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compareUnsigned(Long.parseUnsignedLong(x[0]), Long.parseUnsignedLong(y[0]));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(x[1]), Long.parseUnsignedLong(y[1]));
    }

    @Test
    void deletingAStreamReclaimsEveryEntryGroupConsumerAndPendingEntry() {
        try (RawClient c = server.raw()) {
            populate(c, "reclaim:del");
            assertEquals(":1\r\n", c.call("DEL", "reclaim:del"));
            assertEquals(0, streamSubkeys("reclaim:del"));

            populate(c, "reclaim:set");
            assertEquals("+OK\r\n", c.call("SET", "reclaim:set", "x"));
            assertEquals(0, streamSubkeys("reclaim:set"));

            populate(c, "reclaim:from");
            assertEquals("+OK\r\n", c.call("RENAME", "reclaim:from", "reclaim:to"));
            assertEquals(0, streamSubkeys("reclaim:from"));
            assertEquals(11, streamSubkeys("reclaim:to"));
            assertEquals(":1\r\n", c.call("COPY", "reclaim:to", "reclaim:copy"));
            assertEquals(11, streamSubkeys("reclaim:copy"));
            assertEquals(":1\r\n", c.call("COPY", "reclaim:to", "reclaim:copy", "REPLACE"));
            assertEquals(11, streamSubkeys("reclaim:copy"), "the replaced copy's subkeys are gone");

            populate(c, "reclaim:destroy");
            assertEquals(":1\r\n", c.call("XGROUP", "DESTROY", "reclaim:destroy", "g"));
            assertEquals(5, streamSubkeys("reclaim:destroy"), "only the entries are left");
            assertEquals(":5\r\n", c.call("XTRIM", "reclaim:destroy", "MAXLEN", "0"));
            assertEquals(0, streamSubkeys("reclaim:destroy"));
        }
    }

    @Test
    void anExpiredStreamIsReclaimedByTheSweep() {
        try (RawClient c = server.raw()) {
            populate(c, "reclaim:expired");
            assertEquals(":1\r\n", c.call("PEXPIRE", "reclaim:expired", "1"));
            Await.until("the expired stream's subkeys are gone", () -> streamSubkeys("reclaim:expired") == 0);
            assertEquals(":0\r\n", c.call("EXISTS", "reclaim:expired"));
        }
    }

    @Test
    void scanTypeStreamFindsStreamsOnly() {
        try (RawClient c = server.raw()) {
            c.call("XADD", "scan:s1", "1-0", "f", "v");
            c.call("XGROUP", "CREATE", "scan:s2", "g", "$", "MKSTREAM");
            c.call("SET", "scan:str", "x");
            c.call("LPUSH", "scan:list", "x");
            Set<String> found = new HashSet<>();
            String cursor = "0";
            do {
                RespValue page = RespValue.parse(c.call("SCAN", cursor, "MATCH", "scan:*", "TYPE", "stream"));
                cursor = page.elements().get(0).text();
                page.elements().get(1).elements().forEach(k -> found.add(k.text()));
            } while (!cursor.equals("0"));
            assertEquals(Set.of("scan:s1", "scan:s2"), found);
        }
    }

    @Test
    void transactionsReadTheirOwnWritesAndDropAFailedCommandsWrites() {
        try (RawClient c = server.raw()) {
            c.call("MULTI");
            c.call("XADD", "txn:s", "1-0", "f", "v");
            c.call("XGROUP", "CREATE", "txn:s", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "txn:s", ">");
            c.call("XADD", "txn:s", "1-0", "f", "again");
            c.call("XCLAIM", "txn:s", "g", "d", "0", "1-0", "LASTID", "bad");
            c.call("XPENDING", "txn:s", "g");
            c.call("XLEN", "txn:s");
            RespValue exec = RespValue.parse(c.call("EXEC"));
            List<RespValue> r = exec.elements();
            assertEquals("1-0", r.get(0).text());
            assertEquals("OK", r.get(1).text());
            assertEquals("txn:s", r.get(2).elements().get(0).elements().get(0).text());
            assertTrue(r.get(3).isError(), "the ID is not greater than the top item");
            assertTrue(r.get(4).isError(), "LASTID is not an ID");
            assertEquals(1, r.get(5).elements().get(0).asLong(), "pending as read by the same transaction");
            assertEquals("c", r.get(5).elements().get(3).elements().get(0).elements().get(0).text(),
                    "the failed XCLAIM changed nothing");
            assertEquals(1, r.get(6).asLong());
        }
    }

    @Test
    void anIdWithTheGreatestMillisecondsCannotBeStored() {
        try (RawClient c = server.raw()) {
            // Kvrocks's subkeys starting with UINT64_MAX are the groups, consumers and pending entries.
            assertEquals("-ERR The ID specified in XADD is greater than 18446744073709551614-18446744073709551615, "
                    + "the greatest ID a stream can hold in Kvrocks's layout\r\n",
                    c.call("XADD", "maxid", "18446744073709551615-0", "f", "v"));
            assertEquals("$41\r\n18446744073709551614-18446744073709551615\r\n",
                    c.call("XADD", "maxid", "18446744073709551614-18446744073709551615", "f", "v"));
            assertTrue(c.call("XADD", "maxid", "*", "f", "v").startsWith("-ERR The ID specified in XADD is greater"));
            assertEquals(":1\r\n", c.call("XLEN", "maxid"));
        }
    }
}
