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
}
