package dev.basalt.command;

import java.util.concurrent.CompletableFuture;

/** What a client's session may ask of its connection; the server implements it per connection. */
public interface ClientChannel {
    /** Unblocks the connection's reader so that its thread ends (CLIENT KILL, SHUTDOWN). */
    void close();

    /**
     * While the client is parked in a blocking command: a future completing with a negative count when
     * the peer hangs up; null when that cannot be watched (more requests are already buffered).
     */
    CompletableFuture<Integer> hangupWatch();

    /**
     * Sends a complete RESP frame from any thread, between replies and never inside one, without
     * waiting for a slow reader. Returns false (and drops the client) when its pending pushes would
     * pass the output buffer limit.
     */
    boolean push(byte[] frame);

    /**
     * Closes the connection's socket at once, so that a write waiting for a client that does not read
     * fails (SHUTDOWN, once its grace period is over).
     */
    default void abort() {
        close();
    }

    /** Bytes pushed to the client and not yet written to its socket (CLIENT LIST's omem). */
    default long pendingPushBytes() {
        return 0;
    }
}
