package dev.basalt.types;

/**
 * Hashes, sets and sorted sets: nothing after version and size (Kvrocks's plain Metadata); the type
 * says which.
 */
public record CollectionMetadata(DataType<?> type, long expireAtMs, long version, long size)
        implements VersionedMetadata {

    /** A new value with no elements yet. */
    public static CollectionMetadata empty(DataType<CollectionMetadata> type, long version) {
        return new CollectionMetadata(type, 0, version, 0);
    }

    /** The layout of every type whose metadata this is. */
    static CollectionMetadata read(MetadataFormat.Reader in) {
        long version = in.u64();
        long size = in.size();
        return new CollectionMetadata(in.type(), in.expireAtMs(), version, size);
    }

    @Override
    public CollectionMetadata withExpireAtMs(long expireAtMs) {
        return new CollectionMetadata(type, expireAtMs, version, size);
    }

    @Override
    public CollectionMetadata withVersion(long version) {
        return new CollectionMetadata(type, expireAtMs, version, size);
    }

    @Override
    public CollectionMetadata withSize(long size) {
        return new CollectionMetadata(type, expireAtMs, version, size);
    }

    @Override
    public byte[] encode() {
        return MetadataFormat.startVersioned(this, 0).array();
    }
}
