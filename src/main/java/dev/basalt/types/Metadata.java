package dev.basalt.types;

/**
 * The value of a metadata key in Kvrocks's encoding: what every type shares (its type and expiry,
 * see {@link MetadataFormat}) and the fields of its own layout. One immutable record per layout; the
 * type's {@link DataType} says which.
 */
public interface Metadata {
    DataType<?> type();

    /** Absolute Unix time in ms, 0 for none. */
    long expireAtMs();

    Metadata withExpireAtMs(long expireAtMs);

    /** The stored bytes, always in the 64-bit encoding. */
    byte[] encode();

    default boolean hasExpiry() {
        return expireAtMs() > 0;
    }

    /** Strictly past the expiry instant, as Kvrocks and Redis decide. */
    default boolean isExpired(long nowMs) {
        return hasExpiry() && expireAtMs() < nowMs;
    }

    /** No longer a value: expired (collections also when left empty, see {@link VersionedMetadata}). */
    default boolean isDead(long nowMs) {
        return isExpired(nowMs);
    }

    /** Decodes a stored value of any registered type; IllegalArgumentException for an unknown type code. */
    static Metadata decode(byte[] raw) {
        return MetadataFormat.decode(raw);
    }

    /** As {@link #decode}, or null when the value does not decode (a type this version does not know): scans skip it. */
    static Metadata decodeOrNull(byte[] raw) {
        try {
            return MetadataFormat.decode(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
