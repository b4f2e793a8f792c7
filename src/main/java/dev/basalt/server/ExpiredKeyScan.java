package dev.basalt.server;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.types.Metadata;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The expiry sweep's read side: one bounded step over the metadata of every namespace, finding the
 * keys past their expiry. It only reads; the sweeper deletes each key under its lock after a re-check.
 */
final class ExpiredKeyScan {
    private ExpiredKeyScan() {
    }

    /** A key past its expiry, in some namespace. */
    record ExpiredKey(String namespace, byte[] key) {
    }

    /**
     * The expired keys among at most limit metadata entries, the raw metadata key to continue after
     * (null once the end is reached), and how many entries were examined.
     */
    record Chunk(List<ExpiredKey> expired, byte[] resumeAfter, int examined) {
    }

    /** Examines up to limit metadata entries after {@code after} (a raw metadata key, null = from the start). */
    static Chunk next(Storage storage, byte[] after, int limit) {
        List<ExpiredKey> expired = new ArrayList<>();
        int examined = 0;
        byte[] last = null;
        try (Txn t = storage.begin(KeyCodec.DEFAULT_NAMESPACE); TxnIterator it = t.iterator(ColumnFamily.METADATA)) {
            long now = t.nowMs();
            if (after == null) {
                it.seekToFirst();
            } else {
                it.seek(Bytes.successor(after));
            }
            for (; it.isValid() && examined < limit; it.next()) {
                byte[] mk = it.key();
                examined++;
                last = mk;
                Metadata m = Metadata.decodeOrNull(it.value());
                KeyCodec.NamespacedKey key = KeyCodec.parseMetadataKey(mk);
                if (m != null && m.isExpired(now) && key != null) {
                    expired.add(new ExpiredKey(key.namespace(), key.userKey()));
                }
            }
            return new Chunk(expired, it.isValid() ? last : null, examined);
        }
    }
}
