package dev.basalt.rdb;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.rdb.RdbValue.HashValue;
import dev.basalt.rdb.RdbValue.ListValue;
import dev.basalt.rdb.RdbValue.ModuleValue;
import dev.basalt.rdb.RdbValue.SetValue;
import dev.basalt.rdb.RdbValue.StreamValue;
import dev.basalt.rdb.RdbValue.StringValue;
import dev.basalt.rdb.RdbValue.ZSetValue;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.BitmapType;
import dev.basalt.types.DataType;
import dev.basalt.types.HashType;
import dev.basalt.types.HyperLogLogType;
import dev.basalt.types.Keyspace;
import dev.basalt.types.ListType;
import dev.basalt.types.Metadata;
import dev.basalt.types.SetType;
import dev.basalt.types.StreamGroups;
import dev.basalt.types.StreamMetadata;
import dev.basalt.types.StreamType;
import dev.basalt.types.StringType;
import dev.basalt.types.ZSetType;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves whole values between Basalt's types and Redis's serialization, through each type's public API
 * (the types alone know Kvrocks's encodings). Bitmaps are strings to Redis and go out as one;
 * HyperLogLogs go out as Redis's dense HyperLogLog string, and such a string comes back in as a
 * HyperLogLog. Sorted-int sets and the module types Basalt keeps from Kvrocks have no Redis form.
 */
public final class RdbKeys {
    private final Txn txn;

    public RdbKeys(Txn txn) {
        this.txn = txn;
    }

    /**
     * The live key's value as Redis would serialize it, null when the key does not exist. A bitmap
     * longer than maxBitmapBytes (max-bitmap-to-string-mb) is refused, as GET refuses it.
     */
    public RdbValue read(byte[] key, long maxBitmapBytes) throws StorageException, ErrorReply {
        Metadata m = new Keyspace(txn).metadata(key);
        if (m == null) {
            return null;
        }
        DataType<?> t = m.type();
        if (t == StringType.TYPE || t == BitmapType.TYPE) {
            return new StringValue(new StringType(txn).get(key, maxBitmapBytes));
        } else if (t == HyperLogLogType.TYPE) {
            return new StringValue(RedisHll.fromDense(new HyperLogLogType(txn).denseRegisters(key)));
        } else if (t == ListType.TYPE) {
            return new ListValue(new ListType(txn).range(key, 0, -1));
        } else if (t == HashType.TYPE) {
            List<byte[]> fv = new ArrayList<>();
            for (HashType.Entry e : new HashType(txn).entries(key)) {
                fv.add(e.field());
                fv.add(e.value());
            }
            return new HashValue(fv);
        } else if (t == SetType.TYPE) {
            return new SetValue(new SetType(txn).members(key));
        } else if (t == ZSetType.TYPE) {
            List<ZSetType.Entry> all = new ZSetType(txn).all(key);
            List<byte[]> members = new ArrayList<>(all.size());
            double[] scores = new double[all.size()];
            for (int i = 0; i < all.size(); i++) {
                members.add(all.get(i).member());
                scores[i] = all.get(i).score();
            }
            return new ZSetValue(members, scores);
        } else if (t == StreamType.TYPE) {
            return new StreamValue(new StreamGroups(txn).image(key, (StreamMetadata) m));
        }
        throw new ErrorReply("ERR a key of type '" + t.name() + "' has no form in Redis's serialization format");
    }

    /**
     * Replaces whatever the key held (any type) with v, expiring at expireAtMs (0 = never, otherwise in
     * the future). v must be a value Basalt holds: not a module value, not an empty collection.
     */
    public void write(byte[] key, RdbValue v, long expireAtMs) throws StorageException, RdbFormatException {
        Keyspace keyspace = new Keyspace(txn);
        switch (v) {
            case StringValue s -> {
                byte[] hll = RedisHll.denseRegisters(s.value());
                if (hll != null) {
                    new HyperLogLogType(txn).restore(key, hll, expireAtMs);
                } else {
                    new StringType(txn).set(key, s.value(), expireAtMs);
                }
                return;
            }
            case StreamValue s -> {
                for (var e : s.image().entries()) {
                    if (!e.id().storable()) {
                        throw new RdbFormatException("stream entry ID " + e.id() + " is past what Basalt stores");
                    }
                }
                new StreamGroups(txn).restore(key, s.image(), expireAtMs);
                return;
            }
            case ListValue l -> {
                keyspace.deleteKeys(List.of(key));
                new ListType(txn).replace(key, l.elements());
            }
            case SetValue s -> {
                keyspace.deleteKeys(List.of(key));
                new SetType(txn).store(key, s.members());
            }
            case HashValue h -> {
                keyspace.deleteKeys(List.of(key));
                List<HashType.Entry> entries = new ArrayList<>(h.fieldsAndValues().size() / 2);
                for (int i = 0; i < h.fieldsAndValues().size(); i += 2) {
                    entries.add(new HashType.Entry(h.fieldsAndValues().get(i), h.fieldsAndValues().get(i + 1)));
                }
                try {
                    new HashType(txn).set(key, entries);
                } catch (ErrorReply e) {
                    throw new IllegalStateException("the key was deleted just before", e);
                }
            }
            case ZSetValue z -> {
                keyspace.deleteKeys(List.of(key));
                List<ZSetType.Entry> entries = new ArrayList<>(z.members().size());
                for (int i = 0; i < z.members().size(); i++) {
                    entries.add(new ZSetType.Entry(z.members().get(i), z.scores()[i]));
                }
                new ZSetType(txn).replace(key, entries);
            }
            case ModuleValue m -> throw new RdbFormatException("Basalt has no module type " + m.moduleType());
        }
        if (expireAtMs != 0) {
            keyspace.expire(key, expireAtMs, 0);
        }
    }
}
