package dev.basalt.types;

/**
 * A HyperLogLog (Kvrocks's HyperLogLogMetadata): after version and size (always 0: the registers are not
 * counted), {@code encode_type u8}, 0 for the dense registers Kvrocks writes (the only kind it has).
 */
public record HyperLogLogMetadata(long expireAtMs, long version, long size, byte encoding) implements VersionedMetadata {
    /** Kvrocks's EncodeType::DENSE. */
    public static final byte DENSE = 0;

    /** A new HyperLogLog with every register at 0. */
    public static HyperLogLogMetadata empty(long version) {
        return new HyperLogLogMetadata(0, version, 0, DENSE);
    }

    static HyperLogLogMetadata read(MetadataFormat.Reader in) {
        long version = in.u64();
        long size = in.size();
        byte[] rest = in.rest();
        return new HyperLogLogMetadata(in.expireAtMs(), version, size, rest.length > 0 ? rest[0] : DENSE);
    }

    @Override
    public DataType<?> type() {
        return HyperLogLogType.TYPE;
    }

    @Override
    public HyperLogLogMetadata withExpireAtMs(long expireAtMs) {
        return new HyperLogLogMetadata(expireAtMs, version, size, encoding);
    }

    @Override
    public HyperLogLogMetadata withVersion(long version) {
        return new HyperLogLogMetadata(expireAtMs, version, size, encoding);
    }

    @Override
    public HyperLogLogMetadata withSize(long size) {
        return new HyperLogLogMetadata(expireAtMs, version, size, encoding);
    }

    @Override
    public byte[] encode() {
        return MetadataFormat.startVersioned(this, 1).put(encoding).array();
    }
}
