package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.BlockedClients;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * As in Redis, a client blocked on a key is served by the time the write that fed it answers: what
 * the pushing client (or anyone who saw its reply) does next already sees the waiter's pop committed.
 * Each case repeats, since the old behaviour (the waiter woken to retry on its own) lost the race only
 * sometimes.
 */
@Timeout(120)
class ServedBeforePushRepliesTest {
    private static final int ROUNDS = 20;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void aPopSentAfterThePushRepliesFindsTheElementTaken() {
        try (RawClient waiter = server.raw(); RawClient pusher = server.raw()) {
            for (int i = 0; i < ROUNDS; i++) {
                String key = "race:" + i;
                BlockedClients.sendAndAwait(waiter, pusher, "BLPOP", key, "0");
                assertEquals(":1\r\n", pusher.call("LPUSH", key, "x"));
                assertEquals("$-1\r\n", pusher.call("LPOP", key), "round " + i + ": LPOP took the waiter's element");
                assertEquals("*2\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\nx\r\n", waiter.readReply());
            }
        }
    }

    @Test
    void aPopPipelinedRightBehindThePushFindsTheElementTaken() {
        try (RawClient waiter = server.raw(); RawClient pusher = server.raw()) {
            for (int i = 0; i < ROUNDS; i++) {
                String key = "pipelined:" + i;
                BlockedClients.sendAndAwait(waiter, pusher, "BLPOP", key, "0");
                pusher.send(RawClient.encode("LPUSH", key, "x") + RawClient.encode("LPOP", key));
                assertEquals(":1\r\n", pusher.readReply());
                assertEquals("$-1\r\n", pusher.readReply(), "round " + i + ": LPOP took the waiter's element");
                assertEquals("*2\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\nx\r\n", waiter.readReply());
            }
        }
    }

    @Test
    void anExecWatchingTheDestinationOfAWokenMoveAborts() {
        try (RawClient mover = server.raw(); RawClient client = server.raw()) {
            for (int i = 0; i < ROUNDS; i++) {
                String src = "src:" + i;
                String target = "target:" + i;
                BlockedClients.sendAndAwait(mover, client, "BRPOPLPUSH", src, target, "0");
                assertEquals("+OK\r\n", client.call("WATCH", target));
                assertEquals(":1\r\n", client.call("LPUSH", src, "x"));
                assertEquals("+OK\r\n", client.call("MULTI"));
                assertEquals("+QUEUED\r\n", client.call("SET", "other:" + i, "v"));
                // The woken BRPOPLPUSH wrote target before LPUSH answered, so the watch is broken.
                assertEquals("*-1\r\n", client.call("EXEC"), "round " + i);
                assertEquals("$1\r\nx\r\n", mover.readReply());
            }
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServedBeforeThePushAnswers() {
        try (RawClient a = server.raw(); RawClient b = server.raw(); RawClient c = server.raw();
                RawClient pusher = server.raw()) {
            BlockedClients.sendAndAwait(a, pusher, "BLPOP", "fifo", "0");
            BlockedClients.sendAndAwait(b, pusher, "BRPOP", "fifo", "0");
            BlockedClients.sendAndAwait(c, pusher, "BLPOP", "fifo", "0");
            assertEquals(":4\r\n", pusher.call("RPUSH", "fifo", "1", "2", "3", "4"));
            // a (left) took 1, then b (right) 4, then c (left) 2; 3 is left, and all of it before RPUSH answered.
            assertEquals("*1\r\n$1\r\n3\r\n", pusher.call("LRANGE", "fifo", "0", "-1"));
            assertEquals("*2\r\n$4\r\nfifo\r\n$1\r\n1\r\n", a.readReply());
            assertEquals("*2\r\n$4\r\nfifo\r\n$1\r\n4\r\n", b.readReply());
            assertEquals("*2\r\n$4\r\nfifo\r\n$1\r\n2\r\n", c.readReply());
            assertEquals(0, BlockedClients.count(pusher));
        }
    }

    @Test
    void aMovedElementServesTheDestinationsWaiterInTheSameTurn() {
        try (RawClient mover = server.raw(); RawClient popper = server.raw(); RawClient pusher = server.raw()) {
            BlockedClients.sendAndAwait(mover, pusher, "BLMOVE", "chain:a", "chain:b", "LEFT", "RIGHT", "0");
            BlockedClients.sendAndAwait(popper, pusher, "BLPOP", "chain:b", "0");
            assertEquals(":1\r\n", pusher.call("LPUSH", "chain:a", "x"));
            assertEquals(":0\r\n", pusher.call("EXISTS", "chain:a", "chain:b"));
            assertEquals("$1\r\nx\r\n", mover.readReply());
            assertEquals("*2\r\n$7\r\nchain:b\r\n$1\r\nx\r\n", popper.readReply());
        }
    }

    @Test
    void aWaiterOfAnotherKindDoesNotStopTheOthers() {
        try (RawClient zsetWaiter = server.raw(); RawClient listWaiter = server.raw(); RawClient pusher = server.raw()) {
            BlockedClients.sendAndAwait(zsetWaiter, pusher, "BZPOPMIN", "kind", "0");
            BlockedClients.sendAndAwait(listWaiter, pusher, "BLPOP", "kind", "0");
            assertEquals(":1\r\n", pusher.call("LPUSH", "kind", "x"));
            assertEquals(":0\r\n", pusher.call("EXISTS", "kind"));
            assertEquals("*2\r\n$4\r\nkind\r\n$1\r\nx\r\n", listWaiter.readReply());
            assertEquals(1, BlockedClients.count(pusher));
            assertEquals(":1\r\n", pusher.call("ZADD", "kind", "1", "m"));
            assertEquals("*3\r\n$4\r\nkind\r\n$1\r\nm\r\n$1\r\n1\r\n", zsetWaiter.readReply());
        }
    }

    @Test
    void anExecThatPushesServesWaitersBeforeItsReply() {
        try (RawClient waiter = server.raw(); RawClient client = server.raw()) {
            BlockedClients.sendAndAwait(waiter, client, "BLPOP", "execpush", "0");
            assertEquals("+OK\r\n", client.call("MULTI"));
            assertEquals("+QUEUED\r\n", client.call("RPUSH", "execpush", "a", "b"));
            assertEquals("*1\r\n:2\r\n", client.call("EXEC"));
            assertEquals("*1\r\n$1\r\nb\r\n", client.call("LRANGE", "execpush", "0", "-1"));
            assertEquals("*2\r\n$8\r\nexecpush\r\n$1\r\na\r\n", waiter.readReply());
        }
    }

    @Test
    void aClientThatHangsUpWhileBlockedLeavesNothingBehind() {
        try (RawClient observer = server.raw()) {
            RawClient gone = server.raw();
            BlockedClients.sendAndAwait(gone, observer, "BLPOP", "hangup", "0");
            gone.close();
            BlockedClients.await(observer, 0);
            assertEquals(":1\r\n", observer.call("LPUSH", "hangup", "x"));
            assertEquals(":1\r\n", observer.call("LLEN", "hangup"));
        }
    }
}
