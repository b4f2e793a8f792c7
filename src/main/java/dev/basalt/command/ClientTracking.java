package dev.basalt.command;

import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client-side caching (CLIENT TRACKING): which clients may hold which keys, and the invalidation
 * messages a commit sends them. Keys are remembered by metadata key (they name their namespace) when
 * a tracking client reads them, before and after the read, so a write that commits while the read
 * runs still reaches the client; BCAST clients get every key under their prefixes. Invalidations go
 * out after the commit, as RESP3 {@code invalidate} pushes or, redirected to a RESP2 subscriber, as
 * messages on {@code __redis__:invalidate}. With no tracking client, a commit pays one emptiness check.
 */
public final class ClientTracking {
    private static final byte[] INVALIDATE = Bytes.of("invalidate");
    private static final byte[] CHANNEL = Bytes.of("__redis__:invalidate");

    private final ClientDirectory clients;
    /** Metadata key -> ids of the clients that read it since it was last invalidated. */
    private final ConcurrentHashMap<ByteKey, Set<Long>> table = new ConcurrentHashMap<>();
    private final Set<ClientSession> broadcast = ConcurrentHashMap.newKeySet();
    /** Clients with tracking on, of any mode (FLUSHALL tells them all). */
    private final Set<ClientSession> tracking = ConcurrentHashMap.newKeySet();

    public ClientTracking(ClientDirectory clients) {
        this.clients = clients;
    }

    void enable(ClientSession c, Tracking t) {
        c.setTracking(t);
        tracking.add(c);
        if (t.bcast) {
            broadcast.add(c);
        }
    }

    /** Tracking off (CLIENT TRACKING OFF, RESET, disconnect): the table forgets the client lazily. */
    public void disable(ClientSession c) {
        if (c.tracking() == null) {
            return;
        }
        c.setTracking(null);
        tracking.remove(c);
        broadcast.remove(c);
    }

    /** INFO clients' tracking_clients. */
    public int clientCount() {
        return tracking.size();
    }

    /** INFO stats' tracking_total_keys: keys some client may cache. */
    public int keyCount() {
        return table.size();
    }

    /** INFO stats' tracking_total_items: (key, client) pairs remembered. */
    public long itemCount() {
        long n = 0;
        for (Set<Long> s : table.values()) {
            n += s.size();
        }
        return n;
    }

    /** INFO stats' tracking_total_prefixes: distinct BCAST prefixes. */
    public int prefixCount() {
        Set<ByteKey> prefixes = new HashSet<>();
        for (ClientSession c : broadcast) {
            Tracking t = c.tracking();
            if (t != null) {
                for (byte[] p : t.prefixes) {
                    prefixes.add(new ByteKey(p));
                }
            }
        }
        return prefixes.size();
    }

    public boolean any() {
        return !tracking.isEmpty();
    }

    /** A tracking client is about to read (or has read) these keys: remember them for it. */
    public void remember(ClientSession c, List<byte[]> keys) {
        Tracking t = c.tracking();
        if (t == null || keys.isEmpty() || !t.remembersReads()) {
            return;
        }
        KeyCodec codec = new KeyCodec(c.namespace());
        for (byte[] k : keys) {
            table.computeIfAbsent(new ByteKey(codec.metadataKey(k)), x -> ConcurrentHashMap.newKeySet()).add(c.id());
        }
    }

    /** After a command: a CACHING YES/NO applied to it only, unless keep (a CLIENT command, inside MULTI). */
    public void commandDone(ClientSession c, boolean keep) {
        Tracking t = c.tracking();
        if (t != null && !keep && t.caching != null) {
            t.caching = null;
        }
    }

    /**
     * After a commit: invalidates the written keys (metadata keys) for every client that may cache them.
     * Clients that read a key are told key by key; a BCAST client gets, as in Redis, one message per
     * prefix (in prefix order) listing that prefix's keys.
     */
    public void invalidate(List<byte[]> metadataKeys, ClientSession writer) {
        if (tracking.isEmpty() || metadataKeys.isEmpty()) {
            return;
        }
        Map<ClientSession, TreeMap<ByteKey, List<byte[]>>> byPrefix = null;
        for (byte[] mk : metadataKeys) {
            KeyCodec.NamespacedKey nk = null;
            Set<Long> readers = table.remove(new ByteKey(mk));
            if (readers != null) {
                nk = KeyCodec.parseMetadataKey(mk);
                for (long id : readers) {
                    ClientSession c = clients.get(id);
                    if (c != null && c.tracking() != null && !c.tracking().bcast) {
                        send(c, List.of(nk.userKey()), writer);
                    }
                }
            }
            if (!broadcast.isEmpty()) {
                if (nk == null) {
                    nk = KeyCodec.parseMetadataKey(mk);
                }
                byte[] userKey = nk.userKey();
                for (ClientSession c : broadcast) {
                    Tracking t = c.tracking();
                    if (t == null || !nk.namespace().equals(c.namespace())) {
                        continue;
                    }
                    for (byte[] p : t.prefixes) {
                        if (Tracking.startsWith(userKey, p)) {
                            if (byPrefix == null) {
                                byPrefix = new LinkedHashMap<>();
                            }
                            List<byte[]> keys = byPrefix.computeIfAbsent(c, x -> new TreeMap<>())
                                    .computeIfAbsent(new ByteKey(p), x -> new ArrayList<>());
                            if (keys.stream().noneMatch(k -> Arrays.equals(k, userKey))) {
                                keys.add(userKey);
                            }
                            break;
                        }
                    }
                }
            }
        }
        if (byPrefix != null) {
            for (Map.Entry<ClientSession, TreeMap<ByteKey, List<byte[]>>> e : byPrefix.entrySet()) {
                for (List<byte[]> keys : e.getValue().values()) {
                    send(e.getKey(), keys, writer);
                }
            }
        }
    }

    /** FLUSHDB / FLUSHALL: every tracking client drops its whole cache (a null key). */
    public void flushed() {
        if (tracking.isEmpty()) {
            return;
        }
        table.clear();
        for (ClientSession c : tracking) {
            send(c, null, null);
        }
    }

    /** Sends one invalidation (keys, or null for all) to the client or where it redirects; NOLOOP spares the writer. */
    private void send(ClientSession c, List<byte[]> keys, ClientSession writer) {
        Tracking t = c.tracking();
        if (t == null || (t.noLoop && c == writer)) {
            return;
        }
        ClientSession dest = c;
        if (t.redirect != 0) {
            dest = clients.get(t.redirect);
            if (dest == null) {
                if (!t.brokenRedirect) {
                    t.brokenRedirect = true;
                    if (c.protocol() == 3) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        PubSub.writeAscii(b, ">2\r\n");
                        PubSub.bulk(b, Bytes.of("tracking-redir-broken"));
                        PubSub.writeAscii(b, ":" + t.redirect + "\r\n");
                        c.channel().push(b.toByteArray());
                    }
                }
                return;
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        if (dest.protocol() == 3) {
            PubSub.writeAscii(b, ">2\r\n");
            PubSub.bulk(b, INVALIDATE);
        } else if (t.redirect != 0 && dest.subscribedToAnything()) {
            PubSub.writeAscii(b, "*3\r\n");
            PubSub.bulk(b, Bytes.of("message"));
            PubSub.bulk(b, CHANNEL);
        } else {
            return; // a RESP2 client without a redirect cannot be told, as in Redis
        }
        if (keys == null) {
            // The null takes the tracking client's protocol, even when redirected (as Redis writes it).
            PubSub.writeAscii(b, c.protocol() == 3 ? "_\r\n" : "$-1\r\n");
        } else {
            PubSub.writeAscii(b, "*" + keys.size() + "\r\n");
            for (byte[] k : keys) {
                PubSub.bulk(b, k);
            }
        }
        dest.channel().push(b.toByteArray());
    }
}
