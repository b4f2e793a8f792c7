package dev.basalt.command;

import dev.basalt.command.CommandSpec;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection's state, as commands see it. Written by its own connection's thread; other
 * clients' threads read only the volatile fields (CLIENT LIST, INFO, among them the MULTI queue's
 * length), mark the watch dirty ({@link #setWatchDirty}) and call {@link #kill()}.
 */
public final class ClientSession {
    public enum ReplyMode { ON, OFF, SKIP }

    /** A queued command of a MULTI block. */
    public record Queued(CommandSpec spec, byte[][] argv) {
    }

    private final long id;
    private final ClientChannel channel;
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
    private volatile boolean closeAfterReply;
    private volatile int protocol = 2;
    private volatile boolean authenticated;
    private volatile String namespace = KeyCodec.DEFAULT_NAMESPACE;
    private ReplyMode replyMode = ReplyMode.ON;

    private volatile boolean inMulti;
    private boolean multiError;
    /** The commands queued in MULTI; made at MULTI, so an idle client holds no list. */
    private List<Queued> queued = List.of();
    /** How many are queued, for CLIENT LIST on other clients' threads (the list itself is this thread's). */
    private volatile int queuedCount;
    /**
     * Watched keys with the Unix ms at which each would have expired when watched (0 = no expiry or
     * absent); made at the first WATCH.
     */
    private Map<ByteKey, Long> watched = Map.of();
    private volatile boolean watchDirty;
    private volatile boolean monitor;
    /** True while EXEC runs the queued commands: the reply is one array, so no push may land inside it. */
    private boolean runningExec;
    private volatile Tracking tracking;
    private volatile boolean noEvict;
    /** Set while the client is parked in a blocking command: CLIENT UNBLOCK ends the wait through it. */
    private volatile Unblocker unblocker;

    /** Ends a blocking command's wait (CLIENT UNBLOCK): as a timeout, or with the UNBLOCKED error. */
    @FunctionalInterface
    public interface Unblocker {
        boolean unblock(boolean withError);
    }

    public Unblocker unblocker() {
        return unblocker;
    }

    public void setUnblocker(Unblocker u) {
        this.unblocker = u;
    }

    /** CLIENT TRACKING's settings, null while tracking is off. */
    public Tracking tracking() {
        return tracking;
    }

    void setTracking(Tracking t) {
        this.tracking = t;
    }

    /** CLIENT LIST's redir: -1 without tracking, else the redirect id (0: none). */
    public long trackingRedirect() {
        Tracking t = tracking;
        return t == null ? -1 : t.redirect;
    }

    public boolean runningExec() {
        return runningExec;
    }

    public void setRunningExec(boolean b) {
        this.runningExec = b;
    }

    public boolean monitor() {
        return monitor;
    }

    void setMonitor(boolean m) {
        this.monitor = m;
    }

    public boolean noEvict() {
        return noEvict;
    }

    void setNoEvict(boolean b) {
        this.noEvict = b;
    }

    /** True when a command queued in MULTI writes (CLIENT PAUSE WRITE holds such an EXEC). */
    public boolean queuedAnyWrite() {
        for (Queued q : queued) {
            if (q.spec().has(CommandFlag.WRITE)) {
                return true;
            }
        }
        return false;
    }

    /** Pub/sub subscriptions; made at the first SUBSCRIBE, so an idle client holds none. */
    private volatile Subscriptions subscriptions;

    /** @param addr the peer's "host:port", localAddr ours */
    public ClientSession(long id, String addr, String localAddr, boolean authenticated, ClientChannel channel) {
        this.id = id;
        this.addr = addr;
        this.localAddr = localAddr;
        this.authenticated = authenticated;
        this.channel = channel;
    }

    /** The connection's way to this client: pushes from other threads, hang-up detection. */
    public ClientChannel channel() {
        return channel;
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
        channel.close();
    }

    /** Kills the client and closes its socket at once (see {@link ClientChannel#abort}). */
    public void abort() {
        killed = true;
        channel.abort();
    }

    /** True while a blocking command (BLPOP...) parks this client; INFO counts these as blocked_clients. */
    public boolean blocked() {
        return blocked;
    }

    public void setBlocked(boolean b) {
        this.blocked = b;
    }

    /** QUIT, CLIENT KILL of oneself: close once the current reply is flushed. */
    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    public void setCloseAfterReply() {
        this.closeAfterReply = true;
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
        multiError = false;
        queued = new ArrayList<>();
        queuedCount = 0;
        inMulti = true;
    }

    public void queue(Queued q) {
        queued.add(q);
        queuedCount = queued.size();
    }

    /** Ends MULTI (EXEC or DISCARD) and returns what was queued; the caller unwatches. */
    public List<Queued> endMulti() {
        List<Queued> q = queued;
        inMulti = false;
        queued = List.of();
        queuedCount = 0;
        return q;
    }

    /** CLIENT LIST's multi field: commands queued so far, or -1 outside MULTI. Read by other clients. */
    public int multiCount() {
        return inMulti ? queuedCount : -1;
    }

    /** True when a command was refused while queueing: EXEC then aborts. Reset by MULTI. */
    public boolean multiError() {
        return multiError;
    }

    public void flagMultiError() {
        if (inMulti) {
            multiError = true;
        }
    }

    /** Watched keys and their expiry when watched; read-only (see {@link #watch}, {@link #clearWatches}). */
    public Map<ByteKey, Long> watched() {
        return watched;
    }

    /** Adds a key to the watched ones; false when it was watched already. */
    public boolean watch(ByteKey key, long expireAtMs) {
        if (watched.isEmpty()) {
            watched = new LinkedHashMap<>();
        }
        return watched.putIfAbsent(key, expireAtMs) == null;
    }

    public void clearWatches() {
        watched = Map.of();
    }

    public boolean watchDirty() {
        return watchDirty;
    }

    public void setWatchDirty(boolean d) {
        this.watchDirty = d;
    }

    /** The client's subscriptions (made on first use; read-only views through {@link #subscribedToAnything}). */
    public Subscriptions subscriptions() {
        Subscriptions s = subscriptions;
        if (s == null) {
            s = new Subscriptions();
            subscriptions = s;
        }
        return s;
    }

    /** True when the client has any channel, pattern or shard channel subscription. */
    public boolean subscribedToAnything() {
        Subscriptions s = subscriptions;
        return s != null && s.any();
    }

    /** CLIENT LIST's sub, psub and ssub fields. */
    public int subscribedChannels() {
        Subscriptions s = subscriptions;
        return s == null ? 0 : s.channels();
    }

    public int subscribedPatterns() {
        Subscriptions s = subscriptions;
        return s == null ? 0 : s.patterns();
    }

    public int subscribedShardChannels() {
        Subscriptions s = subscriptions;
        return s == null ? 0 : s.shardChannels();
    }

    /**
     * RESP2 subscribed mode: a RESP2 client with a subscription may only run (P|S)SUBSCRIBE,
     * (P|S)UNSUBSCRIBE, PING, QUIT and RESET; RESP3 clients get pushes beside normal replies.
     */
    public boolean inSubscribedMode() {
        return protocol == 2 && subscribedToAnything();
    }

    /** Redis's CLIENT LIST flags field: N normal, P pub/sub, b blocked, x in MULTI, d watched key modified. */
    public String flags() {
        // Redis's order: O (monitor), P, x, b, t (tracking), B (broadcast), d, e (no-evict).
        StringBuilder sb = new StringBuilder();
        if (monitor) {
            sb.append('O');
        }
        if (subscribedToAnything()) {
            sb.append('P');
        }
        if (inMulti) {
            sb.append('x');
        }
        if (blocked) {
            sb.append('b');
        }
        Tracking t = tracking;
        if (t != null) {
            sb.append('t');
            if (t.brokenRedirect) {
                sb.append('R');
            }
            if (t.bcast) {
                sb.append('B');
            }
        }
        if (watchDirty) {
            sb.append('d');
        }
        if (noEvict) {
            sb.append('e');
        }
        return sb.isEmpty() ? "N" : sb.toString();
    }
}
