package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Bitmaps, HyperLogLogs, geo sets and sorted integers, with their expiries, survive a stop and a start on
 * the same data directory: each type is written by one server and read back by the next.
 */
class BitmapHllGeoSortedIntRestartTest {
    private static void acrossRestart(Consumer<RawClient> write, Consumer<RawClient> check) throws Exception {
        Path dir = Files.createTempDirectory("basalt-types-restart");
        try {
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString())); RawClient c = first.raw()) {
                write.accept(c);
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString())); RawClient c = second.raw()) {
                check.accept(c);
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void bitmaps() throws Exception {
        acrossRestart(c -> {
            for (long bit : new long[] {0, 7, 8191, 8192, 100_000, 4_294_967_295L}) {
                c.call("SETBIT", "bm", Long.toString(bit), "1");
            }
            c.call("BITFIELD", "bf", "SET", "i16", "#3", "-1234");
            c.call("SET", "s", "foobar");
            c.call("SETBIT", "s", "63", "1");
            c.call("BITOP", "XOR", "x", "s", "bf");
            c.call("PEXPIRE", "bf", "3600000");
        }, c -> {
            assertEquals(":6\r\n", c.call("BITCOUNT", "bm"));
            assertEquals(":4294967295\r\n", c.call("BITPOS", "bm", "1", "-1"));
            assertEquals(":1\r\n", c.call("GETBIT", "bm", "8192"));
            assertEquals(":0\r\n", c.call("GETBIT", "bm", "8193"));
            assertEquals("*1\r\n:-1234\r\n", c.call("BITFIELD_RO", "bf", "GET", "i16", "#3"));
            assertEquals(":1\r\n", c.call("EXISTS", "x"));
            assertEquals(":8\r\n", c.call("STRLEN", "s"), "a bit write leaves a string a string");
            assertEquals("$8\r\nfoobar\u0000\u0001\r\n", c.call("GET", "s"));
            String ttl = c.call("PTTL", "bf");
            assertEquals(true, Long.parseLong(ttl.substring(1).trim()) > 0, ttl);
        });
    }

    @Test
    void hyperLogLogs() throws Exception {
        String[] before = new String[2];
        acrossRestart(c -> {
            for (int i = 0; i < 100; i++) {
                String[] args = new String[102];
                args[0] = "PFADD";
                args[1] = "h" + (i % 3);
                for (int j = 0; j < 100; j++) {
                    args[j + 2] = "e" + (i * 100 + j);
                }
                c.call(args);
            }
            c.call("PFADD", "empty");
            before[0] = c.call("PFCOUNT", "h0", "h1", "h2");
            before[1] = c.call("PFCOUNT", "h1");
        }, c -> {
            assertEquals(before[0], c.call("PFCOUNT", "h0", "h1", "h2"));
            assertEquals(before[1], c.call("PFCOUNT", "h1"));
            assertEquals(":1\r\n", c.call("EXISTS", "empty"));
            assertEquals(":0\r\n", c.call("PFCOUNT", "empty"));
            assertEquals("+OK\r\n", c.call("PFMERGE", "all", "h0", "h1", "h2"));
            assertEquals(before[0], c.call("PFCOUNT", "all"));
        });
    }

    @Test
    void geoSets() throws Exception {
        acrossRestart(c -> {
            c.call("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
            c.call("GEOSEARCHSTORE", "near", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST");
        }, c -> {
            assertEquals("$11\r\n166274.1516\r\n", c.call("GEODIST", "Sicily", "Palermo", "Catania"));
            assertEquals("*1\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n",
                    c.call("GEOPOS", "Sicily", "Palermo"));
            assertEquals("*2\r\n$7\r\nCatania\r\n$7\r\nPalermo\r\n",
                    c.call("GEOSEARCH", "Sicily", "FROMMEMBER", "Catania", "BYRADIUS", "200", "km", "ASC"));
            assertEquals(":2\r\n", c.call("ZCARD", "near"));
        });
    }

    @Test
    void sortedIntegers() throws Exception {
        acrossRestart(c -> {
            for (int i = 0; i < 500; i++) {
                c.call("SIADD", "si", Integer.toString(i * 7));
            }
            c.call("SIREM", "si", "0", "7");
            c.call("EXPIRE", "si", "3600");
        }, c -> {
            assertEquals(":498\r\n", c.call("SICARD", "si"));
            assertEquals("*3\r\n$2\r\n14\r\n$2\r\n21\r\n$2\r\n28\r\n", c.call("SIRANGE", "si", "0", "3"));
            assertEquals("*2\r\n$4\r\n3493\r\n$4\r\n3486\r\n", c.call("SIREVRANGE", "si", "0", "2"));
            assertEquals("*2\r\n:0\r\n:1\r\n", c.call("SIEXISTS", "si", "7", "3493"));
            String ttl = c.call("TTL", "si");
            assertEquals(true, Long.parseLong(ttl.substring(1).trim()) > 3000, ttl);
        });
    }
}
