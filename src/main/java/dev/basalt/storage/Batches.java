package dev.basalt.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/** Writing batches to RocksDB, alone or several as one (both commit paths do it). */
final class Batches {
    private static final int HEADER = 12; // WriteBatch rep: sequence u64 + count u32, little-endian

    private Batches() {
    }

    /** Writes a batch, plain or indexed. */
    static void write(RocksDB db, WriteOptions options, AbstractWriteBatch batch) throws RocksDBException {
        if (batch instanceof WriteBatch wb) {
            db.write(options, wb);
        } else {
            db.write(options, (WriteBatchWithIndex) batch);
        }
    }

    /** One batch holding all of theirs, in order; the caller closes it. */
    static WriteBatch combine(List<? extends AbstractWriteBatch> batches) throws RocksDBException {
        List<byte[]> reps = new ArrayList<>(batches.size());
        for (AbstractWriteBatch b : batches) {
            reps.add(b.getWriteBatch().data());
        }
        return new WriteBatch(concat(reps));
    }

    /** Joins serialized write batches: the first header with the summed count, then every body. */
    static byte[] concat(List<byte[]> reps) {
        int total = HEADER;
        int count = 0;
        for (byte[] rep : reps) {
            total += rep.length - HEADER;
            count += ByteBuffer.wrap(rep, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(0).putInt(count);
        for (byte[] rep : reps) {
            out.put(rep, HEADER, rep.length - HEADER);
        }
        return out.array();
    }
}
