package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RespValue;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Redis's SCAN guarantee over Basalt's cursor table: a scan ends with every key present throughout,
 * whatever other clients do; a cursor works on any connection of its namespace and never restarts a
 * scan silently.
 */
class ScanGuaranteeTest {
    private record Page(String cursor, Set<String> items) {
    }

    private static Page page(String reply) {
        RespValue v = RespValue.parse(reply);
        assertEquals('*', v.type(), reply);
        Set<String> items = new TreeSet<>();
        v.elements().get(1).elements().forEach(e -> items.add(e.text()));
        return new Page(v.elements().get(0).text(), items);
    }

    private static Set<String> keys(int n) {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            keys.add("key:" + i);
        }
        return keys;
    }

    /** Sends SCAN 0 COUNT 1 this many times, pipelined in batches, and reads every reply. */
    private static void flood(RawClient c, int times) {
        String one = RawClient.encode("SCAN", "0", "COUNT", "1");
        for (int sent = 0; sent < times; sent += 1000) {
            int batch = Math.min(1000, times - sent);
            c.send(one.repeat(batch));
            for (int i = 0; i < batch; i++) {
                assertTrue(c.readReply().startsWith("*2\r\n"));
            }
        }
    }

    @Test
    void aScanFinishesWithEveryKeyWhileAnotherClientFloodsTheCursorTable() {
        try (TestServer s = TestServer.start(); RawClient victim = s.raw(); RawClient flooder = s.raw()) {
            for (String k : keys(100)) {
                assertEquals("+OK\r\n", victim.call("SET", k, "v"));
            }
            Set<String> seen = new TreeSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                assertTrue(++calls <= 50, "the scan never finished: it must have restarted");
                Page p = page(victim.call("SCAN", cursor, "COUNT", "20"));
                seen.addAll(p.items());
                cursor = p.cursor();
                flood(flooder, 17_500);
            } while (!cursor.equals("0"));
            assertEquals(keys(100), seen);
        }
    }

    @Test
    void aScanContinuesOnAnotherConnectionOfItsNamespaceOnly() {
        try (TestServer s = TestServer.start(Map.of("requirepass", "adminpw", "namespace.ns1", "token1"));
                RawClient first = s.raw(); RawClient second = s.raw(); RawClient tenant = s.raw()) {
            assertEquals("+OK\r\n", first.call("AUTH", "adminpw"));
            assertEquals("+OK\r\n", second.call("AUTH", "adminpw"));
            assertEquals("+OK\r\n", tenant.call("AUTH", "token1"));
            for (String k : keys(30)) {
                assertEquals("+OK\r\n", first.call("SET", k, "v"));
                assertEquals("+OK\r\n", tenant.call("SET", k, "v"));
            }
            assertEquals(":3\r\n", first.call("HSET", "h", "a", "1", "b", "2", "c", "3"));
            assertEquals(":3\r\n", tenant.call("HSET", "h", "a", "1", "b", "2", "c", "3"));

            Page p = page(first.call("SCAN", "0", "COUNT", "10"));
            Set<String> seen = new TreeSet<>(p.items());
            String unknown = "-" + ScanCursors.UNKNOWN + "\r\n";
            assertEquals(unknown, tenant.call("SCAN", p.cursor(), "COUNT", "10"), "a cursor of another namespace");
            RawClient[] pool = {second, first};
            for (int i = 0; !p.cursor().equals("0"); i++) {
                p = page(pool[i % 2].call("SCAN", p.cursor(), "COUNT", "10"));
                seen.addAll(p.items());
            }
            Set<String> expected = keys(30);
            expected.add("h");
            assertEquals(expected, seen);

            Page h = page(first.call("HSCAN", "h", "0", "COUNT", "1"));
            assertEquals(unknown, tenant.call("HSCAN", "h", h.cursor()));
            assertTrue(second.call("HSCAN", "h", h.cursor()).startsWith("*2\r\n"));
        }
    }

    @Test
    void aCursorTheServerDoesNotHoldAnswersAnErrorInsteadOfRestarting() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            String unknown = "-" + ScanCursors.UNKNOWN + "\r\n";
            // On an empty database any cursor ends the scan, as in Redis: nothing can be missed.
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "123456789"));
            assertEquals("+OK\r\n", c.call("SET", "k", "v"));
            assertEquals(unknown, c.call("SCAN", "123456789"));
            assertEquals(":2\r\n", c.call("SADD", "s", "a", "b"));
            assertEquals(unknown, c.call("SSCAN", "s", "123456789"));
            assertEquals(":2\r\n", c.call("ZADD", "z", "1", "a", "2", "b"));
            assertEquals(unknown, c.call("ZSCAN", "z", "123456789"));
            assertEquals(":1\r\n", c.call("HSET", "h", "a", "1"));
            assertEquals(unknown, c.call("HSCAN", "h", "123456789"));
            // A missing key's scan is complete and empty, whatever the cursor, as in Redis.
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("HSCAN", "nokey", "123456789"));
        }
    }
}
