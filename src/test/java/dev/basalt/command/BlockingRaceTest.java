package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A push racing a BLPOP that is just about to park: whatever the interleaving, the blocked client
 * gets the element. (Before the dispatcher looked again after registering its waiter, a push that
 * committed between the BLPOP's empty check and the registration woke nobody, and the client slept
 * forever next to a non-empty list.) Every round must pass; the races only make a bug show up.
 */
class BlockingRaceTest {
    @Test
    void aPushRacingTheParkingIsNeverLost() throws Exception {
        int rounds = 300;
        try (TestServer s = TestServer.start(); RawClient popper = s.raw(); RawClient pusher = s.raw();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < rounds; i++) {
                String key = "race:" + i;
                String value = "v" + i;
                CountDownLatch go = new CountDownLatch(1);
                Future<?> push = pool.submit(() -> {
                    go.await();
                    return pusher.call("RPUSH", key, value);
                });
                popper.send(RawClient.encode("BLPOP", key, "0"));
                go.countDown();
                push.get(30, TimeUnit.SECONDS);
                assertEquals("*2\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n",
                        popper.readReply(), "round " + i);
            }
            assertEquals(0, s.server().dispatcher().blocking().blockedClients());
        }
    }
}
