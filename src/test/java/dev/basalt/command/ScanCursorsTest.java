package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.Bytes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cursor arguments are read like Redis's strtoul; cursors stand for saved positions and never restart silently. */
class ScanCursorsTest {
    private static ClientSession client(long id, String namespace) {
        // No connection behind it: cursors use only the id and the namespace.
        ClientSession c = new ClientSession(id, "127.0.0.1:" + (40000 + id), "127.0.0.1:6666", true, null);
        c.setNamespace(namespace);
        return c;
    }

    private static void assertUnknown(ScanCursors cursors, ClientSession c, long cursor) {
        ErrorReply e = assertThrows(ErrorReply.class, () -> cursors.position(c, cursor));
        assertEquals(ScanCursors.UNKNOWN, e.getMessage());
    }

    @Test
    void parsesLikeRedis() throws Exception {
        assertEquals(0, ScanCursors.parse(Bytes.of("")));
        assertEquals(-1L, ScanCursors.parse(Bytes.of("-1")));
        assertEquals(3, ScanCursors.parse(Bytes.of("+3")));
        assertEquals(-1L, ScanCursors.parse(Bytes.of("18446744073709551615")));
        assertEquals(1, ScanCursors.parse(Bytes.of("-18446744073709551615")));
        for (String bad : new String[] {" 1", "1x", "18446744073709551616", "--1"}) {
            ErrorReply e = assertThrows(ErrorReply.class, () -> ScanCursors.parse(Bytes.of(bad)), bad);
            assertEquals("ERR invalid cursor", e.getMessage());
        }
    }

    @Test
    void savedPositionsResumeOnAnyConnectionAndUnknownCursorsAnswerAnError() throws Exception {
        ScanCursors cursors = new ScanCursors();
        ClientSession a = client(1, "__namespace");
        ClientSession pooled = client(2, "__namespace");
        long id = cursors.save(a, Bytes.of("k42"));
        assertTrue(id > 0 && id < 1L << 53, "a cursor every client library reads exactly: " + id);
        assertEquals("k42", Bytes.str(cursors.position(a, id)));
        assertEquals("k42", Bytes.str(cursors.position(pooled, id)), "another connection continues the scan");
        assertEquals("k42", Bytes.str(cursors.position(a, id)), "a cursor may be used again, as in Redis");
        assertNull(cursors.position(a, 0));
        assertUnknown(cursors, a, id + 12345);
        assertUnknown(cursors, a, -1);
    }

    @Test
    void aCursorMeansNothingInAnotherNamespace() throws Exception {
        ScanCursors cursors = new ScanCursors();
        ClientSession tenant = client(1, "ns1");
        long id = cursors.save(tenant, Bytes.of("secret-key"));
        assertUnknown(cursors, client(2, "ns2"), id);
        assertUnknown(cursors, client(3, "__namespace"), id);
        assertEquals("secret-key", Bytes.str(cursors.position(client(4, "ns1"), id)));
    }

    @Test
    void oneClientsFloodEvictsOnlyItsOwnCursorsAndMemoryStaysBounded() throws Exception {
        long budget = 200L * (ScanCursors.ENTRY_OVERHEAD_BYTES + 8);
        ScanCursors cursors = new ScanCursors(budget);
        ClientSession victim = client(1, "__namespace");
        ClientSession flooder = client(2, "__namespace");
        long resume = cursors.save(victim, Bytes.of("victim-1"));
        Set<Long> issued = new HashSet<>();
        for (int i = 0; i < 17_000; i++) {
            issued.add(cursors.save(flooder, Bytes.of(String.format("key%05d", i))));
            assertTrue(cursors.weight() <= budget, "within budget after " + i);
        }
        assertEquals(17_000, issued.size(), "every cursor issued is distinct");
        assertArrayEquals(Bytes.of("victim-1"), cursors.position(victim, resume));
        assertTrue(cursors.size() <= 200, "bounded: " + cursors.size());
        // The flooder lost its least recently used cursors, and says so when one comes back.
        assertUnknown(cursors, flooder, issued.stream().min(Long::compare).orElseThrow());
    }

    @Test
    void theHeaviestOwnerLosesItsLeastRecentlyUsedCursorFirst() throws Exception {
        long entry = ScanCursors.ENTRY_OVERHEAD_BYTES + 1;
        ScanCursors cursors = new ScanCursors(4 * entry);
        ClientSession heavy = client(1, "__namespace");
        ClientSession light = client(2, "__namespace");
        long a = cursors.save(heavy, Bytes.of("a"));
        long b = cursors.save(heavy, Bytes.of("b"));
        long c = cursors.save(heavy, Bytes.of("c"));
        long l = cursors.save(light, Bytes.of("l"));
        cursors.position(heavy, a); // a is now more recently used than b
        long d = cursors.save(light, Bytes.of("d")); // over budget: heavy (3 cursors) gives up b
        assertUnknown(cursors, heavy, b);
        assertEquals("a", Bytes.str(cursors.position(heavy, a)));
        assertEquals("c", Bytes.str(cursors.position(heavy, c)));
        assertEquals("l", Bytes.str(cursors.position(light, l)));
        assertEquals("d", Bytes.str(cursors.position(light, d)));
        assertEquals(4, cursors.size());
    }
}
