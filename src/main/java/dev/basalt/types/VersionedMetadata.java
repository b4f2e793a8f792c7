package dev.basalt.types;

/**
 * Metadata of a type whose elements live in subkeys under a version (every type but strings and
 * JSON): {@code version u64, size u64} after the shared header. A new version makes the subkeys of
 * older ones unreachable.
 */
public interface VersionedMetadata extends Metadata {
    long version();

    /** The number of elements. */
    long size();

    @Override
    VersionedMetadata withExpireAtMs(long expireAtMs);

    VersionedMetadata withVersion(long version);

    VersionedMetadata withSize(long size);

    /** Also dead when left without elements, unless its type may be empty (Kvrocks's IsEmptyableType). */
    @Override
    default boolean isDead(long nowMs) {
        return size() == 0 && !type().emptyable() || isExpired(nowMs);
    }
}
