package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The platform threads long reads move to: a stop ends a walking read at its next slice. */
@Timeout(60)
class LongReadsTest {
    @Test
    void stopEndsAWalkAtItsNextSliceAndRefusesNewReads() throws Exception {
        LongReads reads = new LongReads(1);
        AtomicBoolean walking = new AtomicBoolean();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                reads.run(() -> {
                    walking.set(true);
                    while (true) { // a walk that would never end by itself
                        reads.sliceEnded();
                        Thread.onSpinWait();
                    }
                });
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        Await.until("the walk runs on the platform thread", walking::get);
        reads.stop();
        assertInstanceOf(LongReads.Stopped.class, ended.get(), "the walk ended at its next slice");
        assertTrue(reads.awaitStopped(10_000), "its thread is done");
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                reads.run(() -> { });
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        });
        assertInstanceOf(LongReads.Stopped.class, refused.get(), "no read starts once stopping");
    }
}
