package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** RENAME, RENAMENX and COPY, for a key of any type: the value moves or is copied with its expiry. */
public final class KeyCopy {
    private static final int COPY_CHUNK = 1024;

    private final Txn txn;
    private final KeyCodec codec;
    private final Keyspace keyspace;

    public KeyCopy(Txn txn) {
        this.txn = txn;
        this.codec = txn.codec();
        this.keyspace = new Keyspace(txn);
    }

    /** What {@link #rename} did. */
    public enum RenameResult { NO_SUCH_KEY, TARGET_EXISTS, RENAMED }

    /**
     * RENAME (onlyIfAbsent false) and RENAMENX: moves the value, its expiry included, to dst and replaces
     * whatever dst held. Renaming a key to itself changes nothing (RENAMENX then reports TARGET_EXISTS).
     */
    public RenameResult rename(byte[] src, byte[] dst, boolean onlyIfAbsent) throws StorageException {
        Metadata m = keyspace.metadata(src);
        if (m == null) {
            return RenameResult.NO_SUCH_KEY;
        }
        if (Arrays.equals(src, dst)) {
            return onlyIfAbsent ? RenameResult.TARGET_EXISTS : RenameResult.RENAMED;
        }
        if (onlyIfAbsent && keyspace.exists(dst)) {
            return RenameResult.TARGET_EXISTS;
        }
        writeCopy(src, m, dst);
        keyspace.delete(src);
        return RenameResult.RENAMED;
    }

    /**
     * COPY: dst gets a copy of src's value and expiry; false when src does not exist, or dst exists and
     * replace is off. src and dst must differ (the command refuses that before).
     */
    public boolean copy(byte[] src, byte[] dst, boolean replace) throws StorageException {
        Metadata m = keyspace.metadata(src);
        if (m == null || !replace && keyspace.exists(dst)) {
            return false;
        }
        writeCopy(src, m, dst);
        return true;
    }

    /**
     * Writes src's value under dst, replacing (and reclaiming) what dst held. A collection gets a new
     * version and a copy of every subkey in its type's column families: only the subkey prefix changes.
     * A fresh version keeps the copy apart from range deletes of dst's earlier versions queued in this Txn.
     */
    private void writeCopy(byte[] src, Metadata m, byte[] dst) throws StorageException {
        keyspace.log(m.type().code());
        keyspace.prepareOverwrite(dst);
        if (!(m instanceof VersionedMetadata v)) {
            keyspace.putMetadata(dst, m);
            return;
        }
        long version = txn.storage().nextVersion();
        byte[] from = codec.subkeyPrefix(src, v.version());
        byte[] to = codec.subkeyPrefix(dst, version);
        for (ColumnFamily cf : m.type().subkeyFamilies()) {
            copySubkeys(cf, from, to);
        }
        keyspace.putMetadata(dst, v.withVersion(version));
    }

    /** Copies every entry under prefix from to prefix to, in chunks (the batch is not written while iterating it). */
    private void copySubkeys(ColumnFamily cf, byte[] from, byte[] to) throws StorageException {
        byte[] seekTo = from;
        while (true) {
            List<byte[][]> chunk = new ArrayList<>();
            try (TxnIterator it = txn.iterator(cf)) {
                for (it.seek(seekTo); it.isValid() && chunk.size() < COPY_CHUNK; it.next()) {
                    byte[] k = it.key();
                    if (!Bytes.startsWith(k, from)) {
                        break;
                    }
                    chunk.add(new byte[][] {k, it.value()});
                }
            }
            for (byte[][] kv : chunk) {
                byte[] k = kv[0];
                byte[] nk = Arrays.copyOf(to, to.length + k.length - from.length);
                System.arraycopy(k, from.length, nk, to.length, k.length - from.length);
                txn.put(cf, nk, kv[1]);
            }
            if (chunk.size() < COPY_CHUNK) {
                return;
            }
            seekTo = Bytes.successor(chunk.get(chunk.size() - 1)[0]);
        }
    }
}
