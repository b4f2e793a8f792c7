package dev.basalt.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.TransactionLogIterator;
import org.rocksdb.WriteBatch;

/**
 * What reached RocksDB, read back from its write-ahead log: the records of every batch committed
 * after a sequence number, in order. For tests of what a commit carries (log data before its writes).
 */
public final class CommittedRecords {
    /** One record of a committed batch: log data, or a write to a column family. */
    public record Entry(Kind kind, ColumnFamily cf, byte[] key, byte[] value) {
        public enum Kind { LOG_DATA, PUT, DELETE, DELETE_RANGE }
    }

    private CommittedRecords() {
    }

    /** The sequence number of the last committed write: what {@link #since} starts after. */
    public static long lastSequence(Storage storage) {
        return storage.db().getLatestSequenceNumber();
    }

    /** Every record of the batches committed after sequence, in WAL order. */
    public static List<Entry> since(Storage storage, long sequence) throws RocksDBException {
        Map<Integer, ColumnFamily> families = new HashMap<>();
        for (ColumnFamily cf : ColumnFamily.values()) {
            families.put(storage.handle(cf).getID(), cf);
        }
        List<Entry> out = new ArrayList<>();
        try (TransactionLogIterator it = storage.db().getUpdatesSince(sequence + 1)) {
            for (; it.isValid(); it.next()) {
                TransactionLogIterator.BatchResult r = it.getBatch();
                try (WriteBatch batch = r.writeBatch(); Collector c = new Collector(families, out)) {
                    // A WAL file may start before the sequence asked for: skip batches already seen.
                    if (r.sequenceNumber() > sequence) {
                        batch.iterate(c);
                    }
                }
            }
            it.status();
        }
        return out;
    }

    private static final class Collector extends WriteBatch.Handler {
        private final Map<Integer, ColumnFamily> families;
        private final List<Entry> out;

        Collector(Map<Integer, ColumnFamily> families, List<Entry> out) {
            this.families = families;
            this.out = out;
        }

        private void add(Entry.Kind kind, int cfId, byte[] key, byte[] value) {
            out.add(new Entry(kind, families.get(cfId), key, value));
        }

        @Override
        public void logData(byte[] blob) {
            out.add(new Entry(Entry.Kind.LOG_DATA, null, null, blob));
        }

        @Override
        public void put(int cfId, byte[] key, byte[] value) {
            add(Entry.Kind.PUT, cfId, key, value);
        }

        @Override
        public void put(byte[] key, byte[] value) {
            add(Entry.Kind.PUT, 0, key, value);
        }

        @Override
        public void delete(int cfId, byte[] key) {
            add(Entry.Kind.DELETE, cfId, key, null);
        }

        @Override
        public void delete(byte[] key) {
            add(Entry.Kind.DELETE, 0, key, null);
        }

        @Override
        public void singleDelete(int cfId, byte[] key) {
            add(Entry.Kind.DELETE, cfId, key, null);
        }

        @Override
        public void singleDelete(byte[] key) {
            add(Entry.Kind.DELETE, 0, key, null);
        }

        @Override
        public void deleteRange(int cfId, byte[] begin, byte[] end) {
            add(Entry.Kind.DELETE_RANGE, cfId, begin, end);
        }

        @Override
        public void deleteRange(byte[] begin, byte[] end) {
            add(Entry.Kind.DELETE_RANGE, 0, begin, end);
        }

        @Override
        public void merge(int cfId, byte[] key, byte[] value) {
            throw new IllegalStateException("Basalt writes no merges");
        }

        @Override
        public void merge(byte[] key, byte[] value) {
            throw new IllegalStateException("Basalt writes no merges");
        }

        @Override
        public void putBlobIndex(int cfId, byte[] key, byte[] value) {
            throw new IllegalStateException("Basalt writes no blob indexes");
        }

        @Override
        public void markBeginPrepare() {
        }

        @Override
        public void markEndPrepare(byte[] xid) {
        }

        @Override
        public void markNoop(boolean emptyBatch) {
        }

        @Override
        public void markRollback(byte[] xid) {
        }

        @Override
        public void markCommit(byte[] xid) {
        }

        @Override
        public void markCommitWithTimestamp(byte[] xid, byte[] ts) {
        }
    }
}
