package dev.basalt.types;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import java.util.List;

/**
 * A data type that exists only in tests, added the way a new type is added: this one file declares
 * it (code, name, metadata record and layout, column families, OBJECT ENCODING) and one
 * {@code DataTypes.register(TagType.TYPE)} makes it known. A value is a set of tags (subkeys with
 * empty values) whose metadata carries one field of its own after size: when it was created.
 */
final class TagType extends CollectionType<TagType.TagMetadata> {
    /** Type code 15: free in Kvrocks (which uses 1 to 13). */
    static final DataType<TagMetadata> TYPE = DataType.define(15, "tags", TagMetadata.class)
            .layout(TagMetadata::read).subkeysIn(ColumnFamily.DEFAULT).objectEncoding("tagbag").build();

    /** Version and size, then {@code createdAtMs u64}. */
    record TagMetadata(long expireAtMs, long version, long size, long createdAtMs) implements VersionedMetadata {
        static TagMetadata read(MetadataFormat.Reader in) {
            long version = in.u64();
            long size = in.size();
            long createdAtMs = in.u64();
            return new TagMetadata(in.expireAtMs(), version, size, createdAtMs);
        }

        @Override
        public DataType<?> type() {
            return TYPE;
        }

        @Override
        public TagMetadata withExpireAtMs(long expireAtMs) {
            return new TagMetadata(expireAtMs, version, size, createdAtMs);
        }

        @Override
        public TagMetadata withVersion(long version) {
            return new TagMetadata(expireAtMs, version, size, createdAtMs);
        }

        @Override
        public TagMetadata withSize(long size) {
            return new TagMetadata(expireAtMs, version, size, createdAtMs);
        }

        @Override
        public byte[] encode() {
            return MetadataFormat.startVersioned(this, 8).putLong(createdAtMs).array();
        }
    }

    TagType(Txn txn) {
        super(txn, TYPE);
    }

    @Override
    protected TagMetadata empty(long version) {
        return new TagMetadata(0, version, 0, txn.nowMs());
    }

    /** Adds the tags (each once), creating the value if needed. */
    void add(byte[] key, List<byte[]> tags) throws StorageException, ErrorReply {
        TagMetadata m = metadata(key);
        log();
        if (m == null) {
            m = create(key);
        }
        long added = 0;
        for (byte[] tag : tags) {
            byte[] sk = codec.subkey(key, m.version(), tag);
            if (txn.get(ColumnFamily.DEFAULT, sk) == null) {
                txn.put(ColumnFamily.DEFAULT, sk, new byte[0]);
                added++;
            }
        }
        keyspace.putMetadata(key, m.withSize(m.size() + added));
    }

    /** Every tag, in byte order. */
    List<byte[]> tags(byte[] key) throws StorageException, ErrorReply {
        return scanPage(key, null, Long.MAX_VALUE, null, (tag, value) -> tag).elements();
    }
}
