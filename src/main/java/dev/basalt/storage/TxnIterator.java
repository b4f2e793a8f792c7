package dev.basalt.storage;

import org.rocksdb.RocksIterator;

/**
 * An iterator over one column family as a Txn sees it (its snapshot plus its own writes). Every
 * {@value #STEPS_PER_YIELD} steps it yields its thread: connections run on virtual threads over two
 * carriers that are never preempted, so a walk over millions of entries must let other clients run.
 */
public final class TxnIterator implements AutoCloseable {
    private static final int STEPS_PER_YIELD = 256;

    private final RocksIterator it;
    private int steps;

    TxnIterator(RocksIterator it) {
        this.it = it;
    }

    public boolean isValid() {
        return it.isValid();
    }

    public void seekToFirst() {
        it.seekToFirst();
    }

    public void seekToLast() {
        it.seekToLast();
    }

    public void seek(byte[] target) {
        it.seek(target);
    }

    public void seekForPrev(byte[] target) {
        it.seekForPrev(target);
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
        if (++steps == STEPS_PER_YIELD) {
            steps = 0;
            Thread.yield();
        }
    }

    @Override
    public void close() {
        it.close();
    }
}
