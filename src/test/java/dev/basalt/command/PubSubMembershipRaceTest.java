package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client subscribing while the channel's last other subscriber leaves must stay subscribed: the leaver
 * drops the emptied set from the channel table, and the newcomer's add may not land in that dropped set.
 */
@Timeout(60)
class PubSubMembershipRaceTest {
    private static final byte[] CHANNEL = "race".getBytes(StandardCharsets.UTF_8);

    private static ClientSession client(long id) {
        ClientChannel channel = new ClientChannel() {
            @Override
            public void close() {
            }

            @Override
            public CompletableFuture<Integer> hangupWatch() {
                return null;
            }

            @Override
            public boolean push(byte[] frame) {
                return true;
            }
        };
        return new ClientSession(id, "127.0.0.1:" + (40000 + id), "127.0.0.1:6666", true, channel);
    }

    @Test
    void aSubscriberJoiningAsTheLastOneLeavesIsNeverLost() throws Exception {
        PubSub pubsub = new PubSub();
        ClientSession leaver = client(1);
        ClientSession joiner = client(2);
        CyclicBarrier start = new CyclicBarrier(2);
        int rounds = 20_000;
        Thread leaving = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    pubsub.subscribe(leaver, PubSub.Kind.CHANNEL, CHANNEL);
                    start.await();
                    pubsub.unsubscribe(leaver, PubSub.Kind.CHANNEL, CHANNEL);
                    start.await();
                    start.await(); // the joiner has checked and left
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < rounds; i++) {
            start.await();
            pubsub.subscribe(joiner, PubSub.Kind.CHANNEL, CHANNEL);
            start.await();
            assertEquals(1, pubsub.publish(CHANNEL, CHANNEL), "round " + i + ": the joiner receives");
            pubsub.unsubscribe(joiner, PubSub.Kind.CHANNEL, CHANNEL);
            start.await();
        }
        leaving.join();
    }
}
