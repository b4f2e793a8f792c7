package dev.basalt.types;

/** A string: the whole value follows the shared header in the metadata entry itself. */
public record StringMetadata(long expireAtMs, byte[] value) implements Metadata {
    static StringMetadata read(MetadataFormat.Reader in) {
        return new StringMetadata(in.expireAtMs(), in.rest());
    }

    @Override
    public DataType<?> type() {
        return StringType.TYPE;
    }

    @Override
    public StringMetadata withExpireAtMs(long expireAtMs) {
        return new StringMetadata(expireAtMs, value);
    }

    public StringMetadata withValue(byte[] newValue) {
        return new StringMetadata(expireAtMs, newValue);
    }

    @Override
    public byte[] encode() {
        return MetadataFormat.start(this, value.length).put(value).array();
    }
}
