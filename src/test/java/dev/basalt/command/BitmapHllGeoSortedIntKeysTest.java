package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generic key commands on bitmaps, HyperLogLogs, geo sets and sorted integers (TYPE, OBJECT ENCODING,
 * SCAN TYPE, DEL, EXPIRE, RENAME, COPY), WRONGTYPE between them, and their commands inside MULTI/EXEC and
 * under WATCH.
 */
class BitmapHllGeoSortedIntKeysTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String WRONGTYPE = "-" + ErrorReply.WRONGTYPE + "\r\n";

    @BeforeEach
    void clean() {
        try (RawClient c = server.raw()) {
            c.call("FLUSHALL");
        }
    }

    private static void fill(RawClient c) {
        c.call("SETBIT", "bm", "100000", "1");
        c.call("PFADD", "hll", "a", "b", "c");
        c.call("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        c.call("SIADD", "si", "1", "2", "3");
    }

    @Test
    void typeEncodingAndScanType() {
        try (RawClient c = server.raw()) {
            fill(c);
            c.call("SET", "str", "v");
            assertEquals("+string\r\n", c.call("TYPE", "bm"), "a bitmap is a string to Redis's clients");
            assertEquals("+string\r\n", c.call("TYPE", "hll"), "so is a HyperLogLog");
            assertEquals("+zset\r\n", c.call("TYPE", "geo"));
            assertEquals("+sortedint\r\n", c.call("TYPE", "si"));
            assertEquals("$3\r\nraw\r\n", c.call("OBJECT", "ENCODING", "bm"));
            assertEquals("$3\r\nraw\r\n", c.call("OBJECT", "ENCODING", "hll"));
            assertEquals("$8\r\nlistpack\r\n", c.call("OBJECT", "ENCODING", "geo"));
            assertEquals("$3\r\nraw\r\n", c.call("OBJECT", "ENCODING", "si"));
            assertEquals("*2\r\n$1\r\n0\r\n*3\r\n$2\r\nbm\r\n$3\r\nhll\r\n$3\r\nstr\r\n",
                    c.call("SCAN", "0", "TYPE", "string"));
            assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$2\r\nsi\r\n", c.call("SCAN", "0", "TYPE", "sortedint"));
            assertEquals(":5\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void delExpireRenameAndCopy() {
        try (RawClient c = server.raw()) {
            fill(c);
            for (String key : List.of("bm", "hll", "geo", "si")) {
                assertEquals(":1\r\n", c.call("COPY", key, key + ":copy"));
                assertEquals("+OK\r\n", c.call("RENAME", key, key + ":moved"));
                assertEquals(":0\r\n", c.call("EXISTS", key));
                assertEquals(":1\r\n", c.call("PEXPIRE", key + ":moved", "100000"));
                assertTrue(Long.parseLong(c.call("PTTL", key + ":moved").substring(1).trim()) > 0);
                assertEquals(":1\r\n", c.call("EXPIRE", key + ":copy", "0"), "an expiry in the past deletes");
                assertEquals(":0\r\n", c.call("EXISTS", key + ":copy"));
            }
            assertEquals(":1\r\n", c.call("GETBIT", "bm:moved", "100000"));
            assertEquals(":3\r\n", c.call("PFCOUNT", "hll:moved"));
            assertEquals("*1\r\n$11\r\nsqc8b49rny0\r\n", c.call("GEOHASH", "geo:moved", "Palermo"));
            assertEquals(":3\r\n", c.call("SICARD", "si:moved"));
            assertEquals(":4\r\n", c.call("DEL", "bm:moved", "hll:moved", "geo:moved", "si:moved"));
            assertEquals(":0\r\n", c.call("DBSIZE"));
        }
    }

    @Test
    void eachTypeRefusesTheOthersCommands() {
        try (RawClient c = server.raw()) {
            fill(c);
            assertEquals(WRONGTYPE, c.call("SIADD", "bm", "1"));
            assertEquals(WRONGTYPE, c.call("SIADD", "hll", "1"));
            assertEquals(WRONGTYPE, c.call("SIADD", "geo", "1"));
            assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", c.call("PFADD", "bm", "a"));
            assertEquals(WRONGTYPE, c.call("PFADD", "geo", "a"));
            assertEquals(WRONGTYPE, c.call("PFCOUNT", "si"));
            assertEquals(WRONGTYPE, c.call("SETBIT", "hll", "1", "1"));
            assertEquals(WRONGTYPE, c.call("BITCOUNT", "geo"));
            assertEquals(WRONGTYPE, c.call("BITFIELD", "si", "GET", "u8", "0"));
            assertEquals(WRONGTYPE, c.call("GEOADD", "bm", "1", "1", "m"));
            assertEquals(WRONGTYPE, c.call("GEOPOS", "hll", "m"));
            assertEquals(WRONGTYPE, c.call("GEOSEARCH", "si", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"));
            assertEquals(WRONGTYPE, c.call("HGET", "bm", "f"));
            assertEquals(WRONGTYPE, c.call("LPUSH", "hll", "x"));
            assertEquals(WRONGTYPE, c.call("SADD", "si", "x"));
            // As in Kvrocks: GET reads a bitmap as its string, the other string commands refuse it.
            assertEquals(WRONGTYPE, c.call("STRLEN", "bm"));
            assertEquals(WRONGTYPE, c.call("APPEND", "bm", "x"));
            assertEquals(WRONGTYPE, c.call("GETRANGE", "bm", "0", "1"));
            assertEquals(WRONGTYPE, c.call("GET", "hll"));
            String get = c.call("GET", "bm");
            assertTrue(get.startsWith("$12501\r\n"), "bit 100000 is in byte 12500: " + get.substring(0, 10));
            assertEquals("+OK\r\n", c.call("SET", "bm", "now a string"));
            assertEquals("$12\r\nnow a string\r\n", c.call("GET", "bm"));
        }
    }

    @Test
    void getexOnABitmapChangesItsExpiry() {
        try (RawClient c = server.raw()) {
            c.call("SETBIT", "bm", "7", "1");
            assertEquals("$1\r\n\u0001\r\n", c.call("GETEX", "bm", "PX", "100000"));
            assertTrue(Long.parseLong(c.call("PTTL", "bm").substring(1).trim()) > 0);
            assertEquals("$1\r\n\u0001\r\n", c.call("GETEX", "bm", "PERSIST"));
            assertEquals(":-1\r\n", c.call("PTTL", "bm"));
            assertEquals("$1\r\n\u0001\r\n", c.call("GETEX", "bm", "PXAT", "1"));
            assertEquals(":0\r\n", c.call("EXISTS", "bm"));
        }
    }

    @Test
    void insideMultiExecWithReadYourWrites() {
        try (RawClient c = server.raw()) {
            c.call("SET", "str", "x");
            c.call("MULTI");
            for (String[] cmd : new String[][] {
                {"SETBIT", "bm", "9", "1"}, {"BITCOUNT", "bm"}, {"BITFIELD", "bm", "INCRBY", "u4", "0", "3"},
                {"PFADD", "hll", "a", "b"}, {"PFCOUNT", "hll"}, {"PFMERGE", "hll2", "hll"}, {"PFCOUNT", "hll2"},
                {"SIADD", "si", "7", "8"}, {"SIRANGE", "si", "0", "10"},
                {"GEOADD", "geo", "1", "1", "a"}, {"GEOSEARCH", "geo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"},
                {"SIADD", "str", "1"}, {"BITOP", "OR", "bm2", "bm", "str"}, {"GETBIT", "bm2", "9"}}) {
                assertEquals("+QUEUED\r\n", c.call(cmd));
            }
            assertEquals("*14\r\n:0\r\n:1\r\n*1\r\n:3\r\n:1\r\n:2\r\n+OK\r\n:2\r\n:2\r\n*2\r\n$1\r\n7\r\n$1\r\n8\r\n:1\r\n"
                    + "*1\r\n$1\r\na\r\n" + WRONGTYPE + ":2\r\n:1\r\n", c.call("EXEC"));
            assertEquals(":3\r\n", c.call("BITCOUNT", "bm"));
            assertEquals(":2\r\n", c.call("PFCOUNT", "hll2"));
        }
    }

    /** A SETBIT that changes only a fragment (not the size) still counts as a write of the key for WATCH. */
    @Test
    void watchSeesWritesThatOnlyChangeFragments() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            c.call("SETBIT", "bm", "100", "1");
            c.call("SIADD", "si", "1");
            c.call("WATCH", "bm");
            assertEquals(":0\r\n", other.call("SETBIT", "bm", "3", "1"));
            c.call("MULTI");
            c.call("GETBIT", "bm", "3");
            assertEquals("*-1\r\n", c.call("EXEC"));
            c.call("WATCH", "bm");
            assertEquals("*2\r\n:1\r\n:0\r\n", other.call("BITFIELD", "bm", "SET", "u4", "0", "0", "GET", "u4", "0"));
            c.call("MULTI");
            c.call("GETBIT", "bm", "3");
            assertEquals("*-1\r\n", c.call("EXEC"));
            c.call("WATCH", "si");
            assertEquals(":1\r\n", other.call("SIADD", "si", "2"));
            c.call("MULTI");
            c.call("SICARD", "si");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }
}
