package dev.basalt.command;

import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import dev.basalt.util.ConcurrentSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells interested clients that keys changed, after the change is committed: WATCHers get their
 * transaction marked dirty. Keys are named by their metadata key ({@code [ns_len][ns][user key]}, as a
 * Txn records what it touched), so one namespace's writes do not touch another's.
 */
public final class KeyEvents {
    private final ConcurrentHashMap<ByteKey, Set<ClientSession>> watchers = new ConcurrentHashMap<>();

    public void watch(ClientSession c, byte[] key) {
        // Added inside compute: a set emptied and removed by another client's unwatch at the same moment
        // must not take this watch with it.
        watchers.compute(scoped(c, key), (k, set) -> ConcurrentSets.withMember(set, c));
    }

    private static ByteKey scoped(ClientSession c, byte[] key) {
        return new ByteKey(new KeyCodec(c.namespace()).metadataKey(key));
    }

    /** Forgets all of the client's watches (UNWATCH, EXEC, DISCARD, disconnect). */
    public void unwatchAll(ClientSession c) {
        for (ByteKey k : c.watched().keySet()) {
            watchers.computeIfPresent(scoped(c, k.bytes()), (key, set) -> {
                set.remove(c);
                return set.isEmpty() ? null : set;
            });
        }
        c.clearWatches();
        c.setWatchDirty(false);
    }

    /** Keys written by a committed batch, as metadata keys. */
    public void modified(Collection<byte[]> metadataKeys) {
        if (watchers.isEmpty()) {
            return;
        }
        for (byte[] k : metadataKeys) {
            Set<ClientSession> set = watchers.get(new ByteKey(k));
            if (set != null) {
                set.forEach(c -> c.setWatchDirty(true));
            }
        }
    }

    /** The user keys of the namespace that some client watches (FLUSHDB touches those that exist). */
    public List<byte[]> watchedKeys(String namespace) {
        KeyCodec codec = new KeyCodec(namespace);
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : watchers.keySet()) {
            if (codec.holds(k.bytes())) {
                out.add(codec.userKeyOf(k.bytes()));
            }
        }
        return out;
    }

    /** Every watched key of every namespace, as metadata keys (FLUSHALL touches those that exist). */
    public List<byte[]> watchedMetadataKeys() {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : watchers.keySet()) {
            out.add(k.bytes());
        }
        return out;
    }
}
