package dev.basalt.types;

import dev.basalt.storage.ColumnFamily;
import java.util.List;

/**
 * Kvrocks's types Basalt has no commands for yet: keys of these types (from a Kvrocks data directory)
 * answer TYPE, SCAN TYPE, OBJECT ENCODING, and can be deleted, expired, renamed and copied with their
 * own fields intact. A type that gets its commands moves to a class of its own.
 */
final class ForeignTypes {
    private ForeignTypes() {
    }

    /** A versioned value whose fields after size are kept exactly as read. */
    record VersionedValue(DataType<?> type, long expireAtMs, long version, long size, byte[] typeFields)
            implements VersionedMetadata {
        static VersionedValue read(MetadataFormat.Reader in) {
            long version = in.u64();
            long size = in.size();
            return new VersionedValue(in.type(), in.expireAtMs(), version, size, in.rest());
        }

        @Override
        public VersionedValue withExpireAtMs(long expireAtMs) {
            return new VersionedValue(type, expireAtMs, version, size, typeFields);
        }

        @Override
        public VersionedValue withVersion(long version) {
            return new VersionedValue(type, expireAtMs, version, size, typeFields);
        }

        @Override
        public VersionedValue withSize(long size) {
            return new VersionedValue(type, expireAtMs, version, size, typeFields);
        }

        @Override
        public byte[] encode() {
            return MetadataFormat.startVersioned(this, typeFields.length).put(typeFields).array();
        }
    }

    /** A JSON document: stored whole after the shared header, like a string. */
    record Json(long expireAtMs, byte[] document) implements Metadata {
        @Override
        public DataType<?> type() {
            return JSON;
        }

        @Override
        public Json withExpireAtMs(long expireAtMs) {
            return new Json(expireAtMs, document);
        }

        @Override
        public byte[] encode() {
            return MetadataFormat.start(this, document.length).put(document).array();
        }
    }

    static final DataType<VersionedValue> BLOOM = versioned(9, "MBbloom--", "raw", true, ColumnFamily.DEFAULT);
    static final DataType<Json> JSON = DataType.define(10, "ReJSON-RL", Json.class)
            .layout(in -> new Json(in.expireAtMs(), in.rest())).mayBeEmpty().objectEncoding("raw").build();
    static final DataType<VersionedValue> TDIGEST = versioned(12, "TDIS-TYPE", "raw", false, ColumnFamily.DEFAULT);
    static final DataType<VersionedValue> TIMESERIES = versioned(13, "timeseries", "raw", false, ColumnFamily.DEFAULT);

    static final List<DataType<?>> ALL = List.of(BLOOM, JSON, TDIGEST, TIMESERIES);

    private static DataType<VersionedValue> versioned(int code, String name, String encoding, boolean emptyable,
            ColumnFamily... families) {
        DataType.Builder<VersionedValue> b = DataType.define(code, name, VersionedValue.class)
                .layout(VersionedValue::read).subkeysIn(families).objectEncoding(encoding);
        return (emptyable ? b.mayBeEmpty() : b).build();
    }
}
