package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import org.junit.jupiter.api.Test;

/** PERFLOG GET|LEN|RESET with the profiling-sample-* directives, as Kvrocks has them. */
class PerfLogTest {
    @Test
    void sampledCommandsAreRecordedWithRocksDbsPerfContext() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            c.call("SET", "k", "v");
            assertEquals(":0\r\n", c.call("PERFLOG", "LEN"), "ratio 0 samples nothing");
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "profiling-sample-ratio", "100",
                    "profiling-sample-commands", "get,set", "profiling-sample-record-threshold-ms", "0"));
            c.call("GET", "k");
            c.call("SET", "k2", "v2");
            c.call("PING"); // not sampled
            c.call("HSET", "h", "f", "v"); // not in the list
            assertEquals(":2\r\n", c.call("PERFLOG", "LEN"));
            String got = c.call("PERFLOG", "GET");
            // Newest first: id, time, command, duration in microseconds, perf context, IO stats context.
            assertTrue(got.matches("(?s)\\*2\r\n\\*6\r\n:2\r\n:\\d+\r\n\\$3\r\nset\r\n:\\d+\r\n\\$\\d+\r\n[^\r]*\r\n\\$0\r\n\r\n"
                    + "\\*6\r\n:1\r\n:\\d+\r\n\\$3\r\nget\r\n:\\d+\r\n\\$\\d+\r\n[^\r]*get_from_memtable_count = 1[^\r]*\r\n\\$0\r\n\r\n"),
                    got);
            assertTrue(c.call("PERFLOG", "GET", "1").startsWith("*1\r\n*6\r\n:2\r\n"));
            assertTrue(c.call("PERFLOG", "GET", "*").startsWith("*2\r\n"));
            // The newest profiling-sample-record-max-len entries are kept.
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "profiling-sample-record-max-len", "1",
                    "profiling-sample-commands", "*"));
            c.call("HSET", "h", "f", "v");
            assertEquals(":1\r\n", c.call("PERFLOG", "LEN"));
            assertTrue(c.call("PERFLOG", "GET").contains("$4\r\nhset\r\n"));
            // A threshold leaves fast commands out.
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "profiling-sample-record-threshold-ms", "100000"));
            assertEquals("+OK\r\n", c.call("PERFLOG", "RESET"));
            c.call("GET", "k");
            assertEquals(":0\r\n", c.call("PERFLOG", "LEN"));
            assertEquals("-ERR PERFLOG subcommand must be one of RESET, LEN, GET\r\n", c.call("PERFLOG", "SHOW"));
        }
    }
}
