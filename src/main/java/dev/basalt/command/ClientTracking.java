package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import dev.basalt.util.ConcurrentSets;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client-side caching (CLIENT TRACKING): which clients may hold which keys, and the invalidation
 * messages a commit sends them. Keys are remembered by metadata key (they name their namespace) when
 * a tracking client reads them, before and after the read, so a write that commits while the read
 * runs still reaches the client; BCAST clients get every key under their prefixes. Invalidations go
 * out after the commit, as RESP3 {@code invalidate} pushes or, redirected to a RESP2 subscriber, as
 * messages on {@code __redis__:invalidate}. With no tracking client, a commit pays one emptiness check.
 * Past {@code tracking-table-max-keys} keys, keys picked at random are forgotten and invalidated as
 * if written, a bounded number per command, as Redis does.
 */
public final class ClientTracking {
    private static final byte[] INVALIDATE = Bytes.of("invalidate");
    private static final byte[] CHANNEL = Bytes.of("__redis__:invalidate");

    /** Keys one command evicts when the table is over its limit, times the commands since it last was not. */
    private static final int EVICTION_EFFORT = 100;
    private static final int MAX_EFFORT_ROUNDS = 100;
    /** Halvings of the table's bucket range before a random pick takes the first key of what is left. */
    private static final int MIN_PICK_RANGE = 8;

    private final ClientDirectory clients;
    private final Config.LiveNumber maxKeys;
    /** Consecutive commands that found the table still over its limit: each evicts harder, as in Redis. */
    private final AtomicInteger overLimitRounds = new AtomicInteger();
    /** Metadata key -> ids of the clients that read it since it was last invalidated. */
    private final ConcurrentHashMap<ByteKey, Set<Long>> table = new ConcurrentHashMap<>();
    private final Set<ClientSession> broadcast = ConcurrentHashMap.newKeySet();
    /** Clients with tracking on, of any mode (FLUSHALL tells them all). */
    private final Set<ClientSession> tracking = ConcurrentHashMap.newKeySet();

    /** maxKeys: {@code tracking-table-max-keys}, 0 for no limit. */
    public ClientTracking(ClientDirectory clients, Config.LiveNumber maxKeys) {
        this.clients = clients;
        this.maxKeys = maxKeys;
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
            // Added inside compute: an invalidation removing the key's readers at the same moment must not
            // take this reader with it.
            table.compute(new ByteKey(codec.metadataKey(k)), (x, readers) -> ConcurrentSets.withMember(readers, c.id()));
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
                tellReaders(readers, nk.userKey(), writer);
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

    private void tellReaders(Set<Long> readers, byte[] userKey, ClientSession writer) {
        for (long id : readers) {
            ClientSession c = clients.get(id);
            if (c != null && c.tracking() != null && !c.tracking().bcast) {
                send(c, List.of(userKey), writer);
            }
        }
    }

    /**
     * Before a command (any client's, as in Redis): while the table holds more keys than
     * {@code tracking-table-max-keys}, forgets keys picked at random and tells their readers, as if the
     * keys were written (BCAST clients are not told: nothing was written). A command evicts at most
     * {@value #EVICTION_EFFORT} keys times the commands in a row that found the table over the limit,
     * so a lowered limit is reached over a few commands without holding up one of them for long.
     */
    public void limitKeys() {
        long max = maxKeys.get();
        if (max <= 0) {
            return;
        }
        if (table.size() <= max) {
            if (overLimitRounds.get() != 0) {
                overLimitRounds.set(0);
            }
            return;
        }
        int rounds = overLimitRounds.get();
        int effort = EVICTION_EFFORT * (Math.min(rounds, MAX_EFFORT_ROUNDS) + 1);
        for (int i = 0; i < effort; i++) {
            ByteKey victim = randomKey();
            if (victim == null) {
                break;
            }
            Set<Long> readers = table.remove(victim);
            if (readers != null) {
                tellReaders(readers, KeyCodec.parseMetadataKey(victim.bytes()).userKey(), null);
            }
            if (table.size() <= max) {
                overLimitRounds.set(0);
                return;
            }
        }
        overLimitRounds.incrementAndGet();
    }

    /**
     * A key of the table picked at random, or null when it is empty: the map's bucket range is halved
     * at random (its spliterator splits it in two) until a few buckets are left, and the first key
     * there is taken; an empty stretch starts the walk again, a few times at most.
     */
    private ByteKey randomKey() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ByteKey[] picked = new ByteKey[1];
        for (int attempt = 0; attempt < 8 && !table.isEmpty(); attempt++) {
            Spliterator<ByteKey> range = table.keySet().spliterator();
            while (range.estimateSize() > MIN_PICK_RANGE) {
                Spliterator<ByteKey> otherHalf = range.trySplit();
                if (otherHalf == null) {
                    break;
                }
                if (random.nextBoolean()) {
                    range = otherHalf;
                }
            }
            if (range.tryAdvance(k -> picked[0] = k)) {
                return picked[0];
            }
        }
        // Sparse table: the first key will do.
        for (ByteKey k : table.keySet()) {
            return k;
        }
        return null;
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
