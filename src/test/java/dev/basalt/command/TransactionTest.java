package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import dev.basalt.testutil.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MULTI/EXEC/DISCARD/WATCH with exact RESP bytes, RESP2 and RESP3. */
class TransactionTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @BeforeEach
    void clean() {
        try (RawClient c = server.raw()) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void queuesAndExecutesWithReadYourWrites() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("SET", "a", "1"));
            assertEquals("+QUEUED\r\n", c.call("GET", "a"));
            assertEquals("+QUEUED\r\n", c.call("INCR", "a"));
            assertEquals("*3\r\n+OK\r\n$1\r\n1\r\n:2\r\n", c.call("EXEC"));
            assertEquals("$1\r\n2\r\n", c.call("GET", "a"));
        }
    }

    @Test
    void runtimeErrorIsItsOwnElementAndOthersApply() {
        try (RawClient c = server.raw()) {
            c.call("SET", "a", "x");
            c.call("MULTI");
            c.call("INCR", "a");
            c.call("SET", "b", "1");
            assertEquals("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "b"));
            assertEquals("$1\r\nx\r\n", c.call("GET", "a"));
        }
    }

    @Test
    void errorsOfTheTransactionCommandsThemselves() {
        try (RawClient c = server.raw()) {
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("-ERR DISCARD without MULTI\r\n", c.call("DISCARD"));
            c.call("MULTI");
            assertEquals("-ERR MULTI calls can not be nested\r\n", c.call("MULTI"));
            assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", c.call("WATCH", "x"));
            assertEquals("+QUEUED\r\n", c.call("SET", "a", "1"));
            // Neither error above aborts the transaction, as in Redis.
            assertEquals("*1\r\n+OK\r\n", c.call("EXEC"));
        }
    }

    @Test
    void queueTimeErrorsAbortExec() {
        try (RawClient c = server.raw()) {
            c.call("MULTI");
            assertEquals("-ERR unknown command 'FOO', with args beginning with: 'x' \r\n", c.call("FOO", "x"));
            c.call("SET", "a", "1");
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET", "a"));

            c.call("MULTI");
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));

            c.call("MULTI");
            assertEquals("-ERR Command not allowed inside a transaction\r\n", c.call("SHUTDOWN"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
            // The connection is out of MULTI again.
            assertEquals("+PONG\r\n", c.call("PING"));
        }
    }

    @Test
    void discardDropsTheQueueAndUnwatches() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            c.call("WATCH", "w");
            c.call("MULTI");
            c.call("SET", "a", "1");
            assertEquals("+OK\r\n", c.call("DISCARD"));
            assertEquals("$-1\r\n", c.call("GET", "a"));
            other.call("SET", "w", "changed");
            c.call("MULTI");
            c.call("SET", "a", "2");
            assertEquals("*1\r\n+OK\r\n", c.call("EXEC"));
        }
    }

    @Test
    void watchedKeyWrittenByAnotherClientAbortsWithNullArray() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            assertEquals("+OK\r\n", c.call("WATCH", "w"));
            other.call("SET", "w", "1");
            c.call("MULTI");
            c.call("SET", "a", "1");
            assertEquals("*-1\r\n", c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET", "a"));
            // EXEC unwatched: the next transaction runs.
            c.call("MULTI");
            c.call("SET", "a", "1");
            assertEquals("*1\r\n+OK\r\n", c.call("EXEC"));
        }
    }

    @Test
    void watchAbortIsRespThreeNull() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            c.call("HELLO", "3");
            c.call("WATCH", "w");
            other.call("SET", "w", "1");
            c.call("MULTI");
            c.call("GET", "w");
            assertEquals("_\r\n", c.call("EXEC"));
        }
    }

    @Test
    void ownWriteBeforeMultiCounts() {
        try (RawClient c = server.raw()) {
            c.call("WATCH", "w");
            c.call("SET", "w", "mine");
            c.call("MULTI");
            c.call("GET", "w");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void watchedKeyDeletedOrExpiredAborts() throws Exception {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            other.call("SET", "w", "1");
            c.call("WATCH", "w");
            other.call("DEL", "w");
            c.call("MULTI");
            c.call("PING");
            assertEquals("*-1\r\n", c.call("EXEC"));

            other.call("SET", "e", "1", "PX", "50");
            c.call("WATCH", "e");
            Thread.sleep(120);
            c.call("MULTI");
            c.call("PING");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void flushOfAWatchedExistingKeyAborts() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            other.call("SET", "w", "1");
            c.call("WATCH", "w");
            other.call("FLUSHDB");
            c.call("MULTI");
            c.call("PING");
            assertEquals("*-1\r\n", c.call("EXEC"));

            other.call("SET", "v", "1");
            c.call("WATCH", "v");
            other.call("FLUSHALL");
            c.call("MULTI");
            c.call("PING");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void unwatchForgets() {
        try (RawClient c = server.raw(); RawClient other = server.raw()) {
            c.call("WATCH", "w");
            assertEquals("+OK\r\n", c.call("UNWATCH"));
            other.call("SET", "w", "1");
            c.call("MULTI");
            c.call("PING");
            assertEquals("*1\r\n+PONG\r\n", c.call("EXEC"));
        }
    }

    @Test
    void flushInsideExecHidesOlderDataFromLaterCommands() {
        try (RawClient c = server.raw()) {
            c.call("SET", "a", "1");
            c.call("MULTI");
            c.call("SET", "b", "2");
            c.call("FLUSHDB");
            c.call("GET", "a");
            c.call("SET", "c", "3");
            assertEquals("*4\r\n+OK\r\n+OK\r\n$-1\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET", "b"));
            assertEquals("$1\r\n3\r\n", c.call("GET", "c"));
        }
    }

    @Test
    void respThreeExecArray() {
        try (RawClient c = server.raw()) {
            c.call("HELLO", "3");
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("GET", "missing");
            assertEquals("*2\r\n+OK\r\n_\r\n", c.call("EXEC"));
        }
    }

    @Test
    void pipelinedTransactionStaysInStep() {
        try (RawClient c = server.raw()) {
            c.send(RawClient.encode("MULTI") + RawClient.encode("SET", "p", "1") + RawClient.encode("INCR", "p")
                    + RawClient.encode("EXEC") + RawClient.encode("GET", "p"));
            assertEquals("+OK\r\n", c.readReply());
            assertEquals("+QUEUED\r\n", c.readReply());
            assertEquals("+QUEUED\r\n", c.readReply());
            assertEquals("*2\r\n+OK\r\n:2\r\n", c.readReply());
            assertEquals("$1\r\n2\r\n", c.readReply());
        }
    }

    @Test
    void injectedWriteFailureAbortsWithOneErrorAndAppliesNothing() {
        try (RawClient c = server.raw()) {
            assertEquals("+OK\r\n", c.call("DEBUG", "FAIL-WRITES", "on"));
            try {
                c.send(RawClient.encode("MULTI") + RawClient.encode("SET", "a", "b") + RawClient.encode("EXEC")
                        + RawClient.encode("PING") + RawClient.encode("GET", "a"));
                assertEquals("+OK\r\n", c.readReply());
                assertEquals("+QUEUED\r\n", c.readReply());
                assertEquals("-ERR EXEC aborted, no command applied: IO error: injected by DEBUG FAIL-WRITES\r\n",
                        c.readReply());
                assertEquals("+PONG\r\n", c.readReply());
                assertEquals("$-1\r\n", c.readReply());
                // A plain write fails in its own place too.
                assertEquals("-ERR IO error: injected by DEBUG FAIL-WRITES\r\n", c.call("SET", "a", "b"));
                // A transaction without writes commits nothing and so still works.
                c.call("MULTI");
                c.call("GET", "a");
                c.call("PING");
                assertEquals("*2\r\n$-1\r\n+PONG\r\n", c.call("EXEC"));
            } finally {
                c.call("DEBUG", "FAIL-WRITES", "off");
            }
            assertEquals("+OK\r\n", c.call("SET", "a", "b"));
        }
    }

    @Test
    void otherClientsCannotInterleaveWithAnExec() throws Exception {
        try (RawClient a = server.raw(); RawClient b = server.raw()) {
            String idA = a.call("CLIENT", "ID").substring(1).strip();
            a.call("MULTI");
            a.call("SET", "x", "1");
            a.call("DEBUG", "SLEEP", "0.5");
            a.call("GET", "x");
            a.send(RawClient.encode("EXEC"));
            // CLIENT LIST names the command running: A's EXEC is in its DEBUG SLEEP, its SET already run.
            Await.until("A's EXEC runs its DEBUG SLEEP",
                    () -> b.call("CLIENT", "LIST", "ID", idA).contains(" cmd=debug "));
            // B's write on x waits for A's whole transaction, so A's GET sees A's own SET.
            assertEquals("+OK\r\n", b.call("SET", "x", "2"));
            assertEquals("*3\r\n+OK\r\n+OK\r\n$1\r\n1\r\n", a.readReply());
            assertEquals("$1\r\n2\r\n", b.call("GET", "x"));
        }
    }

    @Test
    void batchOverTheSizeLimitAbortsTheWholeTransaction() {
        try (TestServer own = TestServer.start(java.util.Map.of("rocksdb.write_options.write_batch_max_bytes", "1000"));
                RawClient c = own.raw()) {
            String big = "x".repeat(2000);
            c.call("MULTI");
            c.call("SET", "small", "1");
            c.call("SET", "big", big);
            c.call("SET", "after", "2");
            String reply = c.call("EXEC");
            assertEquals(true, reply.startsWith("-ERR EXEC aborted, no command applied: "), reply);
            assertEquals(1, reply.split("\r\n").length, "exactly one error reply: " + reply);
            assertEquals("$-1\r\n", c.call("GET", "small"));
            assertEquals("$-1\r\n", c.call("GET", "after"));
            assertEquals("+PONG\r\n", c.call("PING"));
            // Outside MULTI the oversized write answers one error in its own place.
            assertEquals(true, c.call("SET", "big", big).startsWith("-ERR "));
            assertEquals("+OK\r\n", c.call("SET", "small", "1"));
        }
    }
}
