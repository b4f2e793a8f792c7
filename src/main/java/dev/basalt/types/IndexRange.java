package dev.basalt.types;

/** An inclusive range of element positions, after Redis's index rules (LRANGE, LTRIM, ZRANGE...). */
public record IndexRange(long start, long stop) {
    /**
     * Negative indexes count from the end, start is clamped to 0 and stop to size - 1; null when the
     * range holds nothing.
     */
    public static IndexRange clamp(long size, long start, long stop) {
        if (start < 0) {
            start = size + start;
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= size) {
            return null;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        return new IndexRange(start, stop);
    }

    public long length() {
        return stop - start + 1;
    }
}
