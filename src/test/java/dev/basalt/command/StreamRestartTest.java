package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streams survive a stop and a start on the same data directory: entries, the IDs and counters of the
 * metadata, consumer groups with their consumers and pending entries (delivery times and counts
 * included), and expiry. Every query answers the same before and after.
 */
class StreamRestartTest {
    private static final int STREAMS = 30;

    private static List<String[]> queries() {
        List<String[]> q = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            String key = "restart:" + i;
            q.add(new String[] {"XRANGE", key, "-", "+"});
            q.add(new String[] {"XREVRANGE", key, "+", "-", "COUNT", "3"});
            q.add(new String[] {"XINFO", "STREAM", key});
            q.add(new String[] {"XINFO", "STREAM", key, "FULL"});
            q.add(new String[] {"XINFO", "GROUPS", key});
            q.add(new String[] {"XPENDING", key, "g"});
            q.add(new String[] {"XPENDING", key, "g", "-", "+", "100"});
            q.add(new String[] {"TYPE", key});
        }
        return q;
    }

    /** The replies, with the times that move on between the two runs masked. */
    private static List<String> answers(RawClient c) {
        List<String> out = new ArrayList<>();
        for (String[] q : queries()) {
            out.add(StreamConformanceTest.normalize(q, c.call(q)));
        }
        return out;
    }

    @Test
    void streamsWithTheirGroupsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-streams-restart");
        try {
            List<String> before;
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString())); RawClient c = first.raw()) {
                for (int i = 0; i < STREAMS; i++) {
                    String key = "restart:" + i;
                    for (int j = 1; j <= 10 + i; j++) {
                        c.call("XADD", key, j + "-" + (j % 3), "field", "value " + i + "/" + j, "n", "" + j);
                    }
                    c.call("XDEL", key, "2-2", "5-2");
                    c.call("XGROUP", "CREATE", key, "g", "0");
                    c.call("XREADGROUP", "GROUP", "g", "c0", "COUNT", "4", "STREAMS", key, ">");
                    c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "" + (i % 5 + 1), "STREAMS", key, ">");
                    c.call("XACK", key, "g", "1-1");
                    c.call("XCLAIM", key, "g", "c2", "0", "3-0", "RETRYCOUNT", "7", "TIME", "1000");
                    if (i % 3 == 0) {
                        c.call("XSETID", key, "1000-0", "ENTRIESADDED", "500", "MAXDELETEDID", "999-0");
                    }
                    if (i % 2 == 0) {
                        c.call("EXPIRE", key, "3600");
                    }
                }
                before = answers(c);
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString())); RawClient c = second.raw()) {
                assertEquals(before, answers(c));
                for (int i = 0; i < STREAMS; i++) {
                    long ttl = Long.parseLong(c.call("TTL", "restart:" + i).substring(1).trim());
                    assertTrue(i % 2 == 0 ? ttl > 3500 : ttl == -1, "restart:" + i + " ttl " + ttl);
                }
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
