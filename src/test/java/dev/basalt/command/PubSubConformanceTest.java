package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pub/sub against a real redis-server: the same steps on two connections (a subscriber and a
 * publisher) to each server, every frame compared byte for byte. Each step names its connection, the
 * command, and how many frames it brings to the subscriber (replies and messages).
 */
@Timeout(60)
class PubSubConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    /**
     * One step: a command on the subscriber ("s") or publisher ("p"), or none (only reading); then the
     * frames to read from the subscriber.
     */
    private record Step(String who, int subscriberFrames, boolean anyOrder, String... cmd) {
    }

    private static Step s(int frames, String... cmd) {
        return new Step("s", frames, false, cmd);
    }

    /**
     * A subscriber step whose frames name several channels or patterns in an order Redis leaves open: an
     * argument-less UNSUBSCRIBE and the pmessages of one PUBLISH follow hash tables whose seed is random per
     * redis-server process. The frames must agree in order once their second element (the channel or the
     * pattern) is left out, and name the same ones.
     */
    private static Step anyOrder(int frames, String... cmd) {
        return new Step("s", frames, true, cmd);
    }

    private static Step p(int frames, String... cmd) {
        return new Step("p", frames, false, cmd);
    }

    /** A frame's second element (channel or pattern) and the frame without it. */
    private static String[] channelAndRest(String frame) {
        String[] lines = frame.split("\r\n", -1);
        String channel = lines[3] + "\r\n" + lines[4];
        lines[3] = "";
        lines[4] = "";
        return new String[] {channel, String.join("\r\n", lines)};
    }

    private static void compare(List<Step> steps) {
        try (RawClient rs = servers.redis(); RawClient rp = servers.redis(); RawClient bs = servers.basalt();
                RawClient bp = servers.basalt()) {
            for (Step st : steps) {
                boolean hello = st.cmd().length > 0 && st.cmd()[0].equalsIgnoreCase("HELLO");
                String what = st.who() + ": " + String.join(" ", st.cmd());
                if (st.who().equals("p")) {
                    assertEquals(rp.callBytes(st.cmd()), bp.callBytes(st.cmd()), what);
                } else if (st.cmd().length > 0) {
                    rs.send(RawClient.encode(st.cmd()));
                    bs.send(RawClient.encode(st.cmd()));
                }
                List<String> expectedChannels = new ArrayList<>();
                List<String> actualChannels = new ArrayList<>();
                for (int i = 0; i < st.subscriberFrames(); i++) {
                    String expected = rs.readReply();
                    String actual = bs.readReply();
                    if (st.anyOrder()) {
                        String[] e = channelAndRest(expected);
                        String[] a = channelAndRest(actual);
                        expectedChannels.add(e[0]);
                        actualChannels.add(a[0]);
                        expected = e[1];
                        actual = a[1];
                    }
                    if (!hello) {
                        assertEquals(expected, actual, what + " (frame " + i + ")");
                    }
                }
                Collections.sort(expectedChannels);
                Collections.sort(actualChannels);
                assertEquals(expectedChannels, actualChannels, what + " (channels)");
            }
        }
    }

    @Test
    void resp2() {
        compare(List.of(
                s(1, "UNSUBSCRIBE"), s(1, "PUNSUBSCRIBE"), s(1, "SUNSUBSCRIBE"),
                s(2, "SUBSCRIBE", "c:a", "c:b"), s(1, "SUBSCRIBE", "c:a"),
                s(2, "PSUBSCRIBE", "c:[ab]", "c:?"),
                p(0, "PUBLISH", "c:a", "one"), anyOrder(3),
                p(0, "PUBLISH", "c:c", "two"), s(1),
                p(0, "PUBSUB", "NUMSUB", "c:a", "c:b", "nope"), p(0, "PUBSUB", "NUMPAT"),
                p(0, "PUBSUB", "CHANNELS", "nomatch*"), p(0, "PUBSUB", "NUMSUB"),
                p(0, "PUBSUB", "HELP"), p(0, "PUBSUB", "NUMPAT", "x"), p(0, "PUBSUB", "foo"), p(0, "PUBSUB"),
                p(0, "PUBSUB", "CHANNELS", "a", "b"), p(0, "PUBLISH", "c:a"),
                s(1, "GET", "x"), s(1, "SET", "x", "y"), s(1, "PING"), s(1, "PING", "msg"), s(1, "CLIENT", "ID"),
                s(1, "SSUBSCRIBE", "c:s"), p(0, "SPUBLISH", "c:s", "shard"), s(1),
                p(0, "PUBSUB", "SHARDCHANNELS"), p(0, "PUBSUB", "SHARDNUMSUB", "c:s", "c:a"),
                s(1, "PUNSUBSCRIBE", "c:?"), s(1, "UNSUBSCRIBE", "c:b", "never"), s(1),
                s(1, "SUNSUBSCRIBE"), s(1, "RESET"), s(1, "GET", "x"),
                s(1, "MULTI"), s(1, "SUBSCRIBE", "c:m"), s(1, "EXEC"), s(1, "RESET")));
    }

    @Test
    void resp3() {
        compare(List.of(
                s(1, "HELLO", "3"),
                s(1, "UNSUBSCRIBE"), s(2, "SUBSCRIBE", "d:a", "d:b"), s(1, "PSUBSCRIBE", "d:*"),
                s(1, "GET", "d:none"), s(1, "PING"), s(1, "PING", "x"),
                p(0, "PUBLISH", "d:a", "hi"), s(2),
                s(3, "PUBLISH", "d:b", "self"),
                s(1, "SSUBSCRIBE", "d:s"), p(0, "SPUBLISH", "d:s", "m"), s(1),
                anyOrder(2, "UNSUBSCRIBE"), s(1, "PUNSUBSCRIBE"), s(1, "SUNSUBSCRIBE", "d:s"),
                s(1, "RESET")));
    }
}
