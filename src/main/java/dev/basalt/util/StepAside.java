package dev.basalt.util;

import java.util.concurrent.locks.LockSupport;

/** The one way long or busy work on a virtual thread lets other clients run. */
public final class StepAside {
    private StepAside() {
    }

    /**
     * Lets others run. Thread.yield is not enough for a virtual thread: the scheduler puts it back in the
     * queue its carrier is draining, so it can run again before threads woken from elsewhere (a PING the
     * socket poller just woke). Parking for a moment takes it out of every queue until a timer puts it
     * back, behind those.
     */
    public static void now() {
        if (Thread.currentThread().isVirtual()) {
            LockSupport.parkNanos(1);
        } else {
            Thread.yield();
        }
    }
}
