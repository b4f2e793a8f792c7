package dev.basalt.types;

/**
 * A list: after version and size, {@code head u64} (index of the first element) and {@code tail u64}
 * (one past the last); both start at 2^63 - 1 (UINT64_MAX / 2), so the elements are the indexes
 * {@code [head, tail)} and {@code size == tail - head}.
 */
public record ListMetadata(long expireAtMs, long version, long size, long head, long tail) implements VersionedMetadata {
    public static final long INITIAL_INDEX = Long.MAX_VALUE;

    /** A new list with no elements yet. */
    public static ListMetadata empty(long version) {
        return new ListMetadata(0, version, 0, INITIAL_INDEX, INITIAL_INDEX);
    }

    static ListMetadata read(MetadataFormat.Reader in) {
        long version = in.u64();
        long size = in.size();
        long head = in.u64();
        long tail = in.u64();
        return new ListMetadata(in.expireAtMs(), version, size, head, tail);
    }

    @Override
    public DataType<?> type() {
        return ListType.TYPE;
    }

    @Override
    public ListMetadata withExpireAtMs(long expireAtMs) {
        return new ListMetadata(expireAtMs, version, size, head, tail);
    }

    @Override
    public ListMetadata withVersion(long version) {
        return new ListMetadata(expireAtMs, version, size, head, tail);
    }

    @Override
    public ListMetadata withSize(long size) {
        return new ListMetadata(expireAtMs, version, size, head, tail);
    }

    /** The elements now span [head, tail): the size changes by as much as the span did. */
    public ListMetadata withEnds(long head, long tail) {
        return new ListMetadata(expireAtMs, version, size + (this.head - head) + (tail - this.tail), head, tail);
    }

    @Override
    public byte[] encode() {
        return MetadataFormat.startVersioned(this, 16).putLong(head).putLong(tail).array();
    }
}
