package dev.basalt.command;

import dev.basalt.command.CommandSpec;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One client connection's state, as commands see it. Written by its own connection's thread; other
 * clients' threads read only the volatile fields and the MULTI queue's length (CLIENT LIST, INFO), mark
 * the watch dirty ({@link #setWatchDirty}) and call {@link #kill()}.
 */
public final class ClientSession {
    public enum ReplyMode { ON, OFF, SKIP }

    /** A queued command of a MULTI block. */
    public record Queued(CommandSpec spec, byte[][] argv) {
    }

    private final long id;
    private final Runnable closer;
    private final String addr;
    private final String localAddr;
    private final long createdMs = System.currentTimeMillis();
    private volatile long lastActiveMs = createdMs;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVersion = "";
    private volatile String lastCommand = "NULL";
    private volatile boolean killed;
    private volatile boolean blocked;
    private volatile long parks;
    private volatile boolean closeAfterReply;
    private volatile int protocol = 2;
    private volatile boolean authenticated;
    private String namespace = KeyCodec.DEFAULT_NAMESPACE;
    private ReplyMode replyMode = ReplyMode.ON;

    private volatile boolean inMulti;
    private boolean multiError;
    /** Concurrent because CLIENT LIST on other threads reads its size while this client queues. */
    private final Queue<Queued> queued = new ConcurrentLinkedQueue<>();
    /** Watched keys with the Unix ms at which each would have expired when watched (0 = no expiry or absent). */
    private final Map<ByteKey, Long> watched = new LinkedHashMap<>();
    private volatile boolean watchDirty;

    /**
     * @param addr the peer's "host:port", localAddr ours
     * @param closer unblocks the connection's reader when the client is killed
     */
    public ClientSession(long id, String addr, String localAddr, boolean authenticated, Runnable closer) {
        this.id = id;
        this.addr = addr;
        this.localAddr = localAddr;
        this.authenticated = authenticated;
        this.closer = closer;
    }

    public long id() {
        return id;
    }

    public String addr() {
        return addr;
    }

    public String localAddr() {
        return localAddr;
    }

    public long createdMs() {
        return createdMs;
    }

    public long lastActiveMs() {
        return lastActiveMs;
    }

    public void markActive() {
        lastActiveMs = System.currentTimeMillis();
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void setLibName(String v) {
        this.libName = v;
    }

    public String libVersion() {
        return libVersion;
    }

    public void setLibVersion(String v) {
        this.libVersion = v;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public void setLastCommand(String c) {
        this.lastCommand = c;
    }

    public boolean killed() {
        return killed;
    }

    /** Marks the client for closing and unblocks its reader. */
    public void kill() {
        killed = true;
        closer.run();
    }

    /** True while a blocking command (BLPOP...) parks this client; INFO counts these as blocked_clients. */
    public boolean blocked() {
        return blocked;
    }

    public void setBlocked(boolean b) {
        if (b) {
            parks++; // only this client's thread writes it
        }
        this.blocked = b;
    }

    /**
     * How many times this client has parked in blocking commands: once when it starts to wait and once
     * more after each wake-up that found nothing to serve. Tests wait on it to know that a wake-up has
     * been handled and the client kept waiting, which the protocol does not show.
     */
    public long parks() {
        return parks;
    }

    /** QUIT, CLIENT KILL of oneself: close once the current reply is flushed. */
    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    public void setCloseAfterReply() {
        this.closeAfterReply = true;
    }

    private java.util.function.Supplier<java.util.concurrent.CompletableFuture<Integer>> readAhead;

    /** Set by the connection: starts a background read that notices the peer leaving while blocked. */
    public void setReadAhead(java.util.function.Supplier<java.util.concurrent.CompletableFuture<Integer>> r) {
        this.readAhead = r;
    }

    /** A future completing with a negative count when the peer hangs up; null when that cannot be watched. */
    public java.util.concurrent.CompletableFuture<Integer> hangupWatch() {
        if (readAhead == null) {
            return null;
        }
        java.util.concurrent.CompletableFuture<Integer> f = readAhead.get();
        // Once the client has sent more requests, they wait in the buffer; a hang-up shows on the next read.
        return f.isDone() && f.getNow(0) > 0 ? null : f;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int p) {
        this.protocol = p;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean a) {
        this.authenticated = a;
    }

    private volatile boolean admin = true;

    /** False for clients logged in with a namespace token: they may not run admin commands. */
    public boolean admin() {
        return admin;
    }

    public void setAdmin(boolean admin) {
        this.admin = admin;
    }

    public String namespace() {
        return namespace;
    }

    public void setNamespace(String ns) {
        this.namespace = ns;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void setReplyMode(ReplyMode m) {
        this.replyMode = m;
    }

    public boolean inMulti() {
        return inMulti;
    }

    public void startMulti() {
        inMulti = true;
        multiError = false;
        queued.clear();
    }

    /** Ends MULTI (after EXEC or DISCARD); the caller unwatches. */
    public void endMulti() {
        inMulti = false;
        multiError = false;
        queued.clear();
    }

    /** CLIENT LIST's multi field: commands queued so far, or -1 outside MULTI. Read by other clients' threads. */
    public int multiCount() {
        return inMulti ? queued.size() : -1;
    }

    public boolean multiError() {
        return multiError;
    }

    public void flagMultiError() {
        if (inMulti) {
            multiError = true;
        }
    }

    /** The MULTI queue, in order; only this client's thread adds to it or drains it. */
    public Collection<Queued> queued() {
        return queued;
    }

    public Map<ByteKey, Long> watched() {
        return watched;
    }

    public boolean watchDirty() {
        return watchDirty;
    }

    public void setWatchDirty(boolean d) {
        this.watchDirty = d;
    }

    /** Redis's CLIENT LIST flags field: N normal, b blocked, x in MULTI, d watched key modified. */
    public String flags() {
        StringBuilder sb = new StringBuilder();
        if (blocked) {
            sb.append('b');
        }
        if (inMulti) {
            sb.append('x');
        }
        if (watchDirty) {
            sb.append('d');
        }
        return sb.isEmpty() ? "N" : sb.toString();
    }
}
