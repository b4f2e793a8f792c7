package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kvrocks namespaces: AUTH with a namespace token works in that namespace's own keys, without admin rights. */
class NamespaceTest {
    @Test
    void tokenSelectsAnIsolatedNamespace() {
        try (TestServer s = TestServer.start(Map.of("requirepass", "adminpw", "namespace.ns1", "token1"));
                RawClient admin = s.raw(); RawClient tenant = s.raw()) {
            assertEquals("+OK\r\n", admin.call("AUTH", "adminpw"));
            assertEquals("+OK\r\n", tenant.call("AUTH", "token1"));
            assertEquals("+OK\r\n", admin.call("SET", "k", "admin-value"));
            assertEquals("$-1\r\n", tenant.call("GET", "k"));
            assertEquals("+OK\r\n", tenant.call("SET", "k", "tenant-value"));
            assertEquals("$11\r\nadmin-value\r\n", admin.call("GET", "k"));
            assertEquals("$12\r\ntenant-value\r\n", tenant.call("GET", "k"));
            assertEquals("-ERR admin permission required to perform the command\r\n",
                    tenant.call("CONFIG", "GET", "port"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    tenant.call("AUTH", "nope"));
        }
    }

    /**
     * FLUSHALL inside MULTI wipes every namespace in the EXEC's one commit: when that commit fails (here
     * a batch over write_batch_max_bytes, or every write failing), no namespace has lost anything.
     */
    @Test
    void flushallInAnExecWhoseCommitFailsWipesNoNamespace() {
        try (TestServer s = TestServer.start(Map.of("requirepass", "adminpw", "namespace.ns1", "token1"));
                RawClient admin = s.raw(); RawClient tenant = s.raw()) {
            assertEquals("+OK\r\n", admin.call("AUTH", "adminpw"));
            assertEquals("+OK\r\n", tenant.call("AUTH", "token1"));
            assertEquals("+OK\r\n", admin.call("SET", "a", "admin-value"));
            assertEquals("+OK\r\n", tenant.call("SET", "t", "tenant-value"));

            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "rocksdb.write_options.write_batch_max_bytes", "1000"));
            admin.call("MULTI");
            admin.call("FLUSHALL");
            admin.call("SET", "big", "x".repeat(2000));
            String reply = admin.call("EXEC");
            assertEquals(true, reply.startsWith("-ERR EXEC aborted, no command applied: "), reply);
            assertEquals(1, reply.split("\r\n").length, "exactly one error reply: " + reply);
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "rocksdb.write_options.write_batch_max_bytes", "0"));
            assertEquals("$11\r\nadmin-value\r\n", admin.call("GET", "a"));
            assertEquals("$12\r\ntenant-value\r\n", tenant.call("GET", "t"));

            assertEquals("+OK\r\n", admin.call("DEBUG", "FAIL-WRITES", "on"));
            admin.call("MULTI");
            admin.call("FLUSHALL");
            assertEquals("-ERR EXEC aborted, no command applied: IO error: injected by DEBUG FAIL-WRITES\r\n",
                    admin.call("EXEC"));
            assertEquals("+OK\r\n", admin.call("DEBUG", "FAIL-WRITES", "off"));
            assertEquals("$11\r\nadmin-value\r\n", admin.call("GET", "a"));
            assertEquals("$12\r\ntenant-value\r\n", tenant.call("GET", "t"));

            // The same EXEC commits once writes succeed, and then wipes both namespaces.
            admin.call("MULTI");
            admin.call("FLUSHALL");
            assertEquals("*1\r\n+OK\r\n", admin.call("EXEC"));
            assertEquals("$-1\r\n", admin.call("GET", "a"));
            assertEquals("$-1\r\n", tenant.call("GET", "t"));
        }
    }
}
