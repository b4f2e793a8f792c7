package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.CommittedRecords;
import dev.basalt.storage.CommittedRecords.Entry;
import dev.basalt.storage.Storage;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import dev.basalt.util.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An EXEC puts several commands into one batch: each brings its own Kvrocks log data before its
 * writes, and a command that fails at run time takes its log data away with its writes.
 */
@Timeout(60)
class TransactionLogDataTest {
    private static List<String> logData(List<Entry> records) {
        return records.stream().filter(e -> e.kind() == Entry.Kind.LOG_DATA).map(e -> Bytes.str(e.value())).toList();
    }

    @Test
    void eachCommandOfAnExecCarriesItsOwnLogDataAndAFailedOneNone() throws Exception {
        try (TestServer server = TestServer.start(); RawClient c = server.raw()) {
            Storage storage = server.server().storage();
            assertEquals(":1\r\n", c.call("ZADD", "z", "-inf", "m"));
            long before = CommittedRecords.lastSequence(storage);
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("RPUSH", "l", "a"));
            // -inf + +inf is NaN: ZSetType.add records its log data, then fails and is rolled back.
            assertEquals("+QUEUED\r\n", c.call("ZINCRBY", "z", "+inf", "m"));
            assertEquals("+QUEUED\r\n", c.call("SADD", "s", "x"));
            assertEquals("*3\r\n:1\r\n-ERR resulting score is not a number (NaN)\r\n:1\r\n", c.call("EXEC"));

            List<Entry> records = CommittedRecords.since(storage, before);
            assertEquals(List.of("3 7", "4"), logData(records));
            // Each command's log data comes before its writes: RPUSH's two writes, then SADD's.
            assertEquals(Entry.Kind.LOG_DATA, records.get(0).kind());
            int sadd = 0;
            while (!(records.get(sadd).kind() == Entry.Kind.LOG_DATA && Bytes.str(records.get(sadd).value()).equals("4"))) {
                sadd++;
            }
            assertTrue(sadd > 1, "RPUSH wrote between the two log data records");
            assertTrue(sadd < records.size() - 1, "SADD wrote after its log data");
        }
    }
}
