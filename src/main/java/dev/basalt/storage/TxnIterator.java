package dev.basalt.storage;

import org.rocksdb.RocksIterator;

/**
 * An iterator over one column family as a Txn sees it (its snapshot plus its own writes). Connections
 * run on virtual threads over a few carriers that are never preempted, so a walk over millions of
 * entries must let other clients run: once it has run {@value #SLICE_NANOS} ns it tells its Txn
 * ({@link Txn#onSliceEnd}), which steps aside by default, checking the clock every
 * {@value #STEPS_PER_CHECK} steps.
 */
public final class TxnIterator implements AutoCloseable {
    private static final int STEPS_PER_CHECK = 256;
    private static final long SLICE_NANOS = 500_000;

    private final Txn owner;
    private final RocksIterator it;
    /** Where a bound RocksDB does not enforce itself ends the walk (null: none, or enforced). */
    private final byte[] upperBound;
    private final AutoCloseable[] owned;
    private int steps;
    private long sliceStart = System.nanoTime();

    TxnIterator(Txn owner, RocksIterator it) {
        this.owner = owner;
        this.it = it;
        this.upperBound = null;
        this.owned = new AutoCloseable[0];
    }

    /** An iterator whose upper bound this class checks (RocksDB cannot enforce it over a Txn's own writes). */
    TxnIterator(TxnIterator unbounded, byte[] upperBound) {
        this.owner = unbounded.owner;
        this.it = unbounded.it;
        this.upperBound = upperBound;
        this.owned = new AutoCloseable[0];
    }

    /** An iterator whose bound RocksDB enforces; the read options and bound are closed with it. */
    TxnIterator(Txn owner, RocksIterator it, AutoCloseable... owned) {
        this.owner = owner;
        this.it = it;
        this.upperBound = null;
        this.owned = owned;
    }

    public boolean isValid() {
        return it.isValid() && (upperBound == null || java.util.Arrays.compareUnsigned(it.key(), upperBound) < 0);
    }

    public void seekToFirst() {
        it.seekToFirst();
    }

    public void seekToLast() {
        it.seekToLast();
    }

    /** A seek counts as a step: walks that look entries up one by one (bitmap fragments) step aside too. */
    public void seek(byte[] target) {
        it.seek(target);
        stepped();
    }

    public void seekForPrev(byte[] target) {
        it.seekForPrev(target);
        stepped();
    }

    public void next() {
        it.next();
        stepped();
    }

    public void prev() {
        it.prev();
        stepped();
    }

    public byte[] key() {
        return it.key();
    }

    public byte[] value() {
        return it.value();
    }

    private void stepped() {
        if (++steps == STEPS_PER_CHECK) {
            steps = 0;
            long now = System.nanoTime();
            if (now - sliceStart >= SLICE_NANOS) {
                owner.sliceEnded();
                sliceStart = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        it.close();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
