package dev.basalt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void pingAndEcho() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("$2\r\nhi\r\n", c.call("ECHO", "hi"));
        }
    }

    @Test
    void largeValuesRoundTrip() {
        String big = "v".repeat(3 * 1024 * 1024 + 7);
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("SET", "big", big));
            assertEquals(":" + big.length() + "\r\n", c.call("STRLEN", "big"));
            assertEquals("$" + big.length() + "\r\n" + big + "\r\n", c.call("GET", "big"));
        }
    }

    @Test
    void debugHelpListsItsSubcommands() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            String help = c.call("DEBUG", "HELP");
            assertEquals(true, help.startsWith("*10\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
            assertEquals(true, help.contains("+WRITE-STALL <on|off>\r\n"), help);
        }
    }

    @Test
    void selectAcceptsOnlyDatabaseZero() {
        try (TestServer s = TestServer.start(); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("SELECT", "0"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "1"));
            assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "-1"));
            assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SELECT", "abc"));
        }
    }
}
