package dev.basalt.types;

import java.nio.ByteBuffer;

/**
 * A stream's metadata in Kvrocks's layout (StreamMetadata in src/storage/redis_metadata.cc): after
 * version and size (the number of entries), the IDs last-generated, recorded-first-entry,
 * max-deleted-entry, first-entry and last-entry (each ms u64, seq u64), then entries-added u64 and the
 * number of consumer groups u64 (absent in values written by old Kvrocks versions: read as 0).
 * Kvrocks keeps recorded-first-entry equal to first-entry; so does Basalt.
 */
public record StreamMetadata(long expireAtMs, long version, long size, StreamId lastGeneratedId,
        StreamId recordedFirstEntryId, StreamId maxDeletedEntryId, StreamId firstEntryId, StreamId lastEntryId,
        long entriesAdded, long groupCount) implements VersionedMetadata {

    /** A new stream with no entries, no groups and every ID 0-0. */
    public static StreamMetadata empty(long version) {
        return new StreamMetadata(0, version, 0, StreamId.MIN, StreamId.MIN, StreamId.MIN, StreamId.MIN, StreamId.MIN,
                0, 0);
    }

    static StreamMetadata read(MetadataFormat.Reader in) {
        long version = in.u64();
        long size = in.size();
        StreamId lastGenerated = new StreamId(in.u64(), in.u64());
        StreamId recordedFirst = new StreamId(in.u64(), in.u64());
        StreamId maxDeleted = new StreamId(in.u64(), in.u64());
        StreamId first = new StreamId(in.u64(), in.u64());
        StreamId last = new StreamId(in.u64(), in.u64());
        long entriesAdded = in.u64();
        byte[] rest = in.rest();
        long groups = rest.length >= 8 ? ByteBuffer.wrap(rest).getLong() : 0;
        return new StreamMetadata(in.expireAtMs(), version, size, lastGenerated, recordedFirst, maxDeleted, first, last,
                entriesAdded, groups);
    }

    @Override
    public DataType<?> type() {
        return StreamType.TYPE;
    }

    @Override
    public StreamMetadata withExpireAtMs(long expireAtMs) {
        return edit().expireAtMs(expireAtMs).done();
    }

    @Override
    public StreamMetadata withVersion(long version) {
        return edit().version(version).done();
    }

    @Override
    public StreamMetadata withSize(long size) {
        return edit().size(size).done();
    }

    /** A copy to change some fields of. */
    public Edit edit() {
        return new Edit(this);
    }

    @Override
    public byte[] encode() {
        ByteBuffer b = MetadataFormat.startVersioned(this, 16 * 5 + 16);
        for (StreamId id : new StreamId[] {lastGeneratedId, recordedFirstEntryId, maxDeletedEntryId, firstEntryId,
                lastEntryId}) {
            b.putLong(id.ms()).putLong(id.seq());
        }
        return b.putLong(entriesAdded).putLong(groupCount).array();
    }

    /** The fields of a StreamMetadata being changed; {@link #done} makes the new record. */
    public static final class Edit {
        private long expireAtMs;
        private long version;
        private long size;
        private StreamId lastGeneratedId;
        private StreamId maxDeletedEntryId;
        private StreamId firstEntryId;
        private StreamId lastEntryId;
        private long entriesAdded;
        private long groupCount;

        private Edit(StreamMetadata m) {
            expireAtMs = m.expireAtMs;
            version = m.version;
            size = m.size;
            lastGeneratedId = m.lastGeneratedId;
            maxDeletedEntryId = m.maxDeletedEntryId;
            firstEntryId = m.firstEntryId;
            lastEntryId = m.lastEntryId;
            entriesAdded = m.entriesAdded;
            groupCount = m.groupCount;
        }

        public Edit expireAtMs(long v) {
            expireAtMs = v;
            return this;
        }

        public Edit version(long v) {
            version = v;
            return this;
        }

        public Edit size(long v) {
            size = v;
            return this;
        }

        public Edit lastGeneratedId(StreamId v) {
            lastGeneratedId = v;
            return this;
        }

        public Edit maxDeletedEntryId(StreamId v) {
            maxDeletedEntryId = v;
            return this;
        }

        /** The first entry's ID, also written as the recorded first entry, as Kvrocks does. */
        public Edit firstEntryId(StreamId v) {
            firstEntryId = v;
            return this;
        }

        public Edit lastEntryId(StreamId v) {
            lastEntryId = v;
            return this;
        }

        public Edit entriesAdded(long v) {
            entriesAdded = v;
            return this;
        }

        public Edit groupCount(long v) {
            groupCount = v;
            return this;
        }

        public StreamMetadata done() {
            return new StreamMetadata(expireAtMs, version, size, lastGeneratedId, firstEntryId, maxDeletedEntryId,
                    firstEntryId, lastEntryId, entriesAdded, groupCount);
        }
    }
}
