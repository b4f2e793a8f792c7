package dev.basalt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rename-command: a command answers to its new name only, and "" disables it. */
class RenameCommandTest {
    @Test
    void renamedAndDisabledCommands() {
        try (TestServer s = TestServer.start(Map.of("rename-command", "config MYCONFIG\nkeys \"\""));
                RawClient c = s.raw()) {
            assertEquals("-ERR unknown command 'KEYS', with args beginning with: '*' \r\n", c.call("KEYS", "*"));
            assertTrue(c.call("CONFIG", "GET", "port").startsWith("-ERR unknown command 'CONFIG'"));
            assertTrue(c.call("MYCONFIG", "GET", "port").startsWith("*2\r\n$4\r\nport\r\n"));
            // Errors keep the original name, as in Redis.
            assertEquals("-ERR wrong number of arguments for 'config|get' command\r\n", c.call("MYCONFIG", "GET"));
        }
    }

    @Test
    void unknownCommandStopsStartUp() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TestServer.start(Map.of("rename-command", "nosuch other")));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("no such command 'nosuch'"), e.getCause().getMessage());
    }
}
