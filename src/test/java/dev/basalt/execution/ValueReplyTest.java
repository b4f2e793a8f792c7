package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.command.ClientChannel;
import dev.basalt.command.ClientSession;
import dev.basalt.protocol.ReplyBuffer;
import dev.basalt.protocol.ReplyValue;
import dev.basalt.protocol.RespWriter;
import dev.basalt.protocol.ValueReply;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two reply writers agree: a command run through {@link Dispatcher#call} into a {@link ValueReply}
 * gives values that encode to exactly the bytes a client receives for the same command, in RESP2 and
 * RESP3, for every kind of reply (and for errors).
 */
@Timeout(60)
class ValueReplyTest {
    private static final List<String[]> COMMANDS = List.of(
            new String[] {"SET", "s", "v"}, new String[] {"GET", "s"}, new String[] {"GET", "missing"},
            new String[] {"INCR", "n"}, new String[] {"INCRBYFLOAT", "f", "1.5"}, new String[] {"STRLEN", "s"},
            new String[] {"MGET", "s", "missing", "n"}, new String[] {"RPUSH", "l", "a", "b", "c"},
            new String[] {"LRANGE", "l", "0", "-1"}, new String[] {"LPOS", "l", "z"}, new String[] {"HSET", "h", "f", "v", "g", "w"},
            new String[] {"HGETALL", "h"}, new String[] {"HGET", "h", "nope"}, new String[] {"SADD", "set", "x", "y"},
            new String[] {"SMEMBERS", "set"}, new String[] {"SISMEMBER", "set", "x"}, new String[] {"ZADD", "z", "1.5", "a", "2", "b"},
            new String[] {"ZRANGE", "z", "0", "-1", "WITHSCORES"}, new String[] {"ZSCORE", "z", "a"}, new String[] {"ZRANDMEMBER", "missing"},
            new String[] {"ZPOPMIN", "z"}, new String[] {"TYPE", "h"}, new String[] {"TTL", "s"}, new String[] {"EXPIRE", "s", "100"},
            new String[] {"PING"}, new String[] {"ECHO", "hi"}, new String[] {"SCAN", "0", "COUNT", "100"},
            new String[] {"LPUSH", "s", "wrong"}, new String[] {"INCR", "s"}, new String[] {"NOSUCHCOMMAND"},
            new String[] {"GET"}, new String[] {"BLPOP", "empty", "1"}, new String[] {"SORT", "l", "ALPHA", "DESC"},
            new String[] {"COMMAND", "COUNT"}, new String[] {"OBJECT", "ENCODING", "l"}, new String[] {"DEL", "l", "h"},
            new String[] {"EXISTS", "l", "h", "s"}, new String[] {"DBSIZE"});

    @Test
    void valuesEncodeToTheBytesClientsReceiveInResp2() {
        compare(2);
    }

    @Test
    void valuesEncodeToTheBytesClientsReceiveInResp3() {
        compare(3);
    }

    private static void compare(int protocol) {
        try (TestServer viaSocket = TestServer.start(); TestServer viaValues = TestServer.start();
                RawClient c = viaSocket.raw()) {
            if (protocol == 3) {
                c.call("HELLO", "3");
            }
            ClientSession session = new ClientSession(1, "test:1", "test:0", true, new NoChannel());
            session.setProtocol(protocol);
            Dispatcher dispatcher = viaValues.server().dispatcher();
            for (String[] command : COMMANDS) {
                String wire = c.call(command);
                ValueReply values = new ValueReply(protocol);
                dispatcher.call(session, bytes(command), values);
                ReplyBuffer buf = new ReplyBuffer();
                RespWriter w = new RespWriter(buf, protocol);
                for (ReplyValue v : values.values()) {
                    v.writeTo(w);
                }
                assertEquals(1, values.values().size(), String.join(" ", command));
                assertEquals(wire, new String(buf.copyFrom(0), StandardCharsets.UTF_8), String.join(" ", command));
            }
        }
    }

    private static byte[][] bytes(String[] command) {
        byte[][] argv = new byte[command.length][];
        for (int i = 0; i < command.length; i++) {
            argv[i] = command[i].getBytes(StandardCharsets.UTF_8);
        }
        return argv;
    }

    /** A session with no connection behind it. */
    private static final class NoChannel implements ClientChannel {
        @Override
        public void close() {
        }

        @Override
        public CompletableFuture<Integer> hangupWatch() {
            return null;
        }

        @Override
        public boolean push(byte[] frame) {
            return false;
        }
    }
}
