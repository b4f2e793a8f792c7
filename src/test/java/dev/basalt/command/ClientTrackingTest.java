package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CLIENT TRACKING against a real redis-server: the same steps on a tracking client, a redirect target
 * and a writer to each server, every reply and every invalidation compared byte for byte.
 */
@Timeout(60)
class ClientTrackingTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    /** A command on the tracking client ("t"), the redirect target ("r") or the writer ("w"); then frames to read. */
    private record Step(String who, int trackerFrames, int targetFrames, String... cmd) {
    }

    private static Step t(int frames, String... cmd) {
        return new Step("t", frames, 0, cmd);
    }

    private static Step w(int trackerFrames, int targetFrames, String... cmd) {
        return new Step("w", trackerFrames, targetFrames, cmd);
    }

    private static Step r(int frames, String... cmd) {
        return new Step("r", 0, frames, cmd);
    }

    private static void compare(List<Step> steps) {
        try (RawClient rt = servers.redis(); RawClient rr = servers.redis(); RawClient rw = servers.redis();
                RawClient bt = servers.basalt(); RawClient br = servers.basalt(); RawClient bw = servers.basalt()) {
            String redisTarget = rr.call("CLIENT", "ID").substring(1).trim();
            String basaltTarget = br.call("CLIENT", "ID").substring(1).trim();
            rw.call("FLUSHALL");
            bw.call("FLUSHALL");
            for (Step st : steps) {
                String[] rc = st.cmd().clone();
                String[] bc = st.cmd().clone();
                for (int i = 0; i < rc.length; i++) {
                    if (rc[i].equals("$TARGET")) {
                        rc[i] = redisTarget;
                        bc[i] = basaltTarget;
                    }
                }
                String what = st.who() + ": " + String.join(" ", st.cmd());
                RawClient re = switch (st.who()) {
                    case "t" -> rt;
                    case "r" -> rr;
                    default -> rw;
                };
                RawClient ba = switch (st.who()) {
                    case "t" -> bt;
                    case "r" -> br;
                    default -> bw;
                };
                if (st.who().equals("w")) {
                    assertEquals(re.callBytes(rc), ba.callBytes(bc), what);
                } else if (rc.length > 0) {
                    re.send(RawClient.encode(rc));
                    ba.send(RawClient.encode(bc));
                }
                for (int i = 0; i < st.trackerFrames(); i++) {
                    // The redirect target's id differs between the servers.
                    String e = rt.readReply().replace(":" + redisTarget + "\r\n", ":TARGET\r\n");
                    String a;
                    try {
                        a = bt.readReply().replace(":" + basaltTarget + "\r\n", ":TARGET\r\n");
                    } catch (RuntimeException ex) {
                        throw new AssertionError(what + ": no tracker frame " + i + ", expected " + e, ex);
                    }
                    if (!(rc.length > 0 && rc[0].equalsIgnoreCase("HELLO"))) {
                        assertEquals(e, a, what + " (tracker frame " + i + ")");
                    }
                }
                for (int i = 0; i < st.targetFrames(); i++) {
                    assertEquals(rr.readReply(), br.readReply(), what + " (target frame " + i + ")");
                }
            }
        }
    }

    @Test
    void resp3DefaultModeInvalidatesReadKeysOnceAndOnFlush() {
        compare(List.of(
                t(1, "HELLO", "3"),
                t(1, "CLIENT", "TRACKINGINFO"), t(1, "CLIENT", "GETREDIR"),
                t(1, "CLIENT", "TRACKING", "ON"), t(1, "CLIENT", "TRACKINGINFO"), t(1, "CLIENT", "GETREDIR"),
                t(1, "GET", "k1"), t(1, "MGET", "k2", "k3"),
                w(1, 0, "SET", "k1", "v"),
                w(0, 0, "SET", "k1", "again"), // not read since: no second invalidation
                w(2, 0, "MSET", "k2", "a", "k3", "b"),
                t(1, "GET", "k1"), t(2, "SET", "k1", "mine"), // its own write: the reply, then the invalidation
                t(1, "HGETALL", "h"), w(1, 0, "HSET", "h", "f", "v"),
                t(1, "GET", "k1"), w(1, 0, "FLUSHALL"),
                t(1, "CLIENT", "TRACKING", "ON", "BCAST"), t(1, "CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"),
                t(1, "CLIENT", "TRACKING", "ON", "PREFIX", "a"), t(1, "CLIENT", "CACHING", "YES"),
                t(1, "CLIENT", "TRACKING", "OFF"), t(1, "GET", "k1"), w(0, 0, "SET", "k1", "v"),
                t(1, "CLIENT", "TRACKING", "ON", "NOLOOP"), t(1, "GET", "k1"), t(1, "SET", "k1", "v2"),
                t(1, "CLIENT", "TRACKINGINFO"),
                t(1, "CLIENT", "TRACKING", "OFF"),
                t(1, "CLIENT", "TRACKING", "ON", "OPTIN"), t(1, "GET", "o1"), w(0, 0, "SET", "o1", "x"),
                t(1, "CLIENT", "CACHING", "NO"), t(1, "CLIENT", "CACHING", "YES"), t(1, "CLIENT", "TRACKINGINFO"),
                t(1, "GET", "o1"), w(1, 0, "SET", "o1", "y"),
                t(1, "CLIENT", "TRACKING", "OFF"),
                t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:", "PREFIX", "q:"),
                t(1, "CLIENT", "TRACKINGINFO"),
                w(1, 0, "SET", "p:1", "x"), w(0, 0, "SET", "other", "x"), w(2, 0, "MSET", "q:1", "x", "p:2", "y"),
                t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:a"),
                t(1, "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x", "PREFIX", "xy"),
                t(1, "RESET")));
    }

    @Test
    void resp2RedirectToASubscriber() {
        compare(List.of(
                r(1, "SUBSCRIBE", "__redis__:invalidate"),
                t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "$TARGET"), t(1, "CLIENT", "GETREDIR"),
                t(1, "CLIENT", "TRACKING", "ON", "REDIRECT", "999999"),
                t(1, "GET", "rk"), w(0, 1, "SET", "rk", "v"), w(0, 0, "SET", "rk", "v2"),
                t(1, "GET", "rk"), w(0, 1, "DEL", "rk"),
                w(0, 1, "FLUSHALL"),
                t(1, "CLIENT", "TRACKING", "OFF"), t(1, "CLIENT", "GETREDIR")));
    }
}
