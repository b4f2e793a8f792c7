package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.Bytes;
import org.junit.jupiter.api.Test;

/** Cursor arguments are read like Redis's strtoul; cursors stand for saved positions. */
class ScanCursorsTest {
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
    void savedPositionsResumeAndUnknownCursorsStartOver() {
        ScanCursors cursors = new ScanCursors();
        long id = cursors.save(Bytes.of("k42"));
        assertEquals("k42", Bytes.str(cursors.position(id)));
        assertNull(cursors.position(0));
        assertNull(cursors.position(id + 12345));
    }
}
