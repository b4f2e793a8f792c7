package dev.basalt.server;

import dev.basalt.util.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells interested clients that keys changed, after the change is committed: WATCHers get their
 * transaction marked dirty. Keys are namespaced, so one namespace's writes do not touch another's.
 */
public final class KeyEvents {
    private final ConcurrentHashMap<ByteKey, Set<ClientSession>> watchers = new ConcurrentHashMap<>();

    public static ByteKey scoped(String namespace, byte[] key) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + ns.length + key.length];
        out[0] = (byte) ns.length;
        System.arraycopy(ns, 0, out, 1, ns.length);
        System.arraycopy(key, 0, out, 1 + ns.length, key.length);
        return new ByteKey(out);
    }

    public void watch(ClientSession c, String namespace, byte[] key) {
        watchers.computeIfAbsent(scoped(namespace, key), k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    /** Forgets all of the client's watches (UNWATCH, EXEC, DISCARD, disconnect). */
    public void unwatchAll(ClientSession c) {
        for (ByteKey k : c.watched().keySet()) {
            watchers.computeIfPresent(scoped(c.namespace(), k.bytes()), (key, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.watched().clear();
        c.setWatchDirty(false);
    }

    /** Keys (namespaced, see {@link #scoped}) written by a committed batch. */
    public void modified(Collection<ByteKey> scopedKeys) {
        if (watchers.isEmpty()) {
            return;
        }
        for (ByteKey k : scopedKeys) {
            Set<ClientSession> set = watchers.get(k);
            if (set != null) {
                set.forEach(c -> c.setWatchDirty(true));
            }
        }
    }

    /** The user keys of the namespace that some client watches. */
    public java.util.List<byte[]> watchedKeys(String namespace) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (ByteKey scopedKey : watchers.keySet()) {
            byte[] b = scopedKey.bytes();
            if (b[0] == ns.length && java.util.Arrays.equals(b, 1, 1 + ns.length, ns, 0, ns.length)) {
                out.add(java.util.Arrays.copyOfRange(b, 1 + ns.length, b.length));
            }
        }
        return out;
    }
}
