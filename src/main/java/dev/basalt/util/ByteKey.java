package dev.basalt.util;

import java.util.Arrays;

/** A byte string usable as a hash-map key and ordered unsigned, like RocksDB orders keys. */
public record ByteKey(byte[] bytes) implements Comparable<ByteKey> {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ByteKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return Bytes.str(bytes);
    }
}
