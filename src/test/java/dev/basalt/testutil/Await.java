package dev.basalt.testutil;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests: on an observable condition, with a deadline, never for a fixed time. A condition
 * that does not hold by the deadline fails the test, naming what was awaited and the last value seen.
 */
public final class Await {
    /** Long enough for a loaded two-core CI machine; a passing wait returns as soon as the condition holds. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 2;

    private Await() {
    }

    /** Waits until condition holds. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what, e);
            }
        }
    }

    /** Waits until value() equals want; the failure shows the last value seen. */
    public static <T> void equal(String what, T want, Supplier<T> value) {
        Object[] last = new Object[1];
        try {
            until(what, () -> {
                last[0] = value.get();
                return want.equals(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": expected " + want + " but was " + last[0], e);
        }
    }
}
