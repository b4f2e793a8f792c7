package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "expired" comes exactly once per key, from whichever removes it (the sweep, or a write that finds it
 * expired), and a namespace's events reach only that namespace's subscribers.
 */
@Timeout(60)
class KeyspaceNotificationTest {
    private static final String MARKER = "marker:end";

    /** The events (channel and message) a subscriber got before the marker. */
    private static List<String> until(RawClient sub, RawClient marker) {
        marker.call("PUBLISH", MARKER, "x");
        List<String> events = new ArrayList<>();
        while (true) {
            String f = sub.readReply();
            if (f.contains(MARKER)) {
                return events;
            }
            String[] lines = f.split("\r\n");
            events.add(lines[6] + " " + lines[8]);
        }
    }

    private static RawClient subscriber(TestServer s, String... auth) {
        RawClient sub = s.raw();
        if (auth.length > 0) {
            assertEquals("+OK\r\n", sub.call("AUTH", auth[0]));
        }
        sub.call("PSUBSCRIBE", "__key*__:*");
        sub.call("SUBSCRIBE", MARKER);
        return sub;
    }

    @Test
    void theSweepSaysExpiredOnce() {
        try (TestServer s = TestServer.start(Map.of("expiry-sweep-interval-ms", "20", "notify-keyspace-events", "Ex"));
                RawClient sub = subscriber(s); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", c.call("SET", "sweep:k", "v", "PX", "30"));
            assertEquals("*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$22\r\n__keyevent@0__:expired\r\n$7\r\nsweep:k\r\n",
                    sub.readReply());
            Await.until("the key is gone", () -> c.call("DBSIZE").equals(":0\r\n"));
            c.call("SET", "sweep:k", "again");
            assertEquals(List.of(), until(sub, c));
        }
    }

    @Test
    void aWriteThatFindsTheKeyExpiredSaysExpiredOnceBeforeItsOwnEvent() {
        try (TestServer s = TestServer.start(Map.of("expiry-sweep-interval-ms", "3600000",
                "notify-keyspace-events", "KEA")); RawClient sub = subscriber(s); RawClient c = s.raw()) {
            c.call("RPUSH", "lazy:l", "a");
            c.call("PEXPIRE", "lazy:l", "20");
            assertEquals(List.of("__keyspace@0__:lazy:l rpush", "__keyevent@0__:rpush lazy:l",
                    "__keyspace@0__:lazy:l expire", "__keyevent@0__:expire lazy:l"), until(sub, c));
            Await.until("the key reads as expired", () -> c.call("PTTL", "lazy:l").equals(":-2\r\n"));
            assertEquals(List.of(), until(sub, c)); // reading it removed nothing
            c.call("RPUSH", "lazy:l", "b");
            c.call("RPUSH", "lazy:l", "c");
            assertEquals(List.of("__keyspace@0__:lazy:l expired", "__keyevent@0__:expired lazy:l",
                    "__keyspace@0__:lazy:l rpush", "__keyevent@0__:rpush lazy:l",
                    "__keyspace@0__:lazy:l rpush", "__keyevent@0__:rpush lazy:l"), until(sub, c));
            // DEL of an expired key: it was expired, not deleted by the client.
            c.call("SET", "lazy:s", "v", "PX", "10");
            until(sub, c);
            Await.until("the key reads as expired", () -> c.call("PTTL", "lazy:s").equals(":-2\r\n"));
            assertEquals(":0\r\n", c.call("DEL", "lazy:s"));
            assertEquals(List.of("__keyspace@0__:lazy:s expired", "__keyevent@0__:expired lazy:s"), until(sub, c));
        }
    }

    @Test
    void eventsStayInTheirNamespace() {
        try (TestServer s = TestServer.start(Map.of("notify-keyspace-events", "KEA", "requirepass", "adminpw",
                "namespace.ns1", "token1"));
                RawClient admin = subscriber(s, "adminpw"); RawClient tenant = subscriber(s, "token1");
                RawClient tenantWriter = s.raw(); RawClient c = s.raw()) {
            assertEquals("+OK\r\n", tenantWriter.call("AUTH", "token1"));
            assertEquals("+OK\r\n", c.call("AUTH", "adminpw"));
            c.call("SET", "ns:k", "v");
            tenantWriter.call("SET", "ns:t", "v");
            assertEquals(List.of("__keyspace@0__:ns:k set", "__keyevent@0__:set ns:k"), until(admin, c));
            assertEquals(List.of("__keyspace@0__:ns:t set", "__keyevent@0__:set ns:t"), until(tenant, c));
        }
    }

    @Test
    void notificationsOffByDefaultAndConfigurable() {
        try (TestServer s = TestServer.start(); RawClient sub = subscriber(s); RawClient c = s.raw()) {
            c.call("SET", "cfg:k", "v");
            assertEquals(List.of(), until(sub, c));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "notify-keyspace-events", "Kg$lshzxetd"));
            assertEquals("*2\r\n$22\r\nnotify-keyspace-events\r\n$2\r\nAK\r\n", c.call("CONFIG", "GET", "notify-keyspace-events"));
            c.call("SET", "cfg:k", "v");
            c.call("HSET", "cfg:h", "f", "v");
            assertEquals(List.of("__keyspace@0__:cfg:k set", "__keyspace@0__:cfg:h hset"), until(sub, c));
            assertEquals("+OK\r\n", c.call("CONFIG", "SET", "notify-keyspace-events", "Eh"));
            c.call("SET", "cfg:k", "v");
            c.call("HSET", "cfg:h", "f", "v2");
            assertEquals(List.of("__keyevent@0__:hset cfg:h"), until(sub, c));
        }
    }
}
