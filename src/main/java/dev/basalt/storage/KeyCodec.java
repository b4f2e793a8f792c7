package dev.basalt.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Kvrocks's key layout (cluster mode off, so no slot field):
 * metadata key {@code [ns_len u8][ns][user key]}; subkey {@code [ns_len u8][ns][key_len u32][user key][version u64][subkey]}.
 * All integers big-endian.
 */
public final class KeyCodec {
    public static final String DEFAULT_NAMESPACE = "__namespace";

    private final byte[] ns;

    public KeyCodec(String namespace) {
        this.ns = namespace.getBytes(StandardCharsets.UTF_8);
        if (ns.length > 255) {
            throw new IllegalArgumentException("namespace longer than 255 bytes");
        }
    }

    public byte[] namespaceBytes() {
        return ns;
    }

    /** The prefix every metadata key of this namespace starts with. */
    public byte[] metadataPrefix() {
        byte[] out = new byte[1 + ns.length];
        out[0] = (byte) ns.length;
        System.arraycopy(ns, 0, out, 1, ns.length);
        return out;
    }

    public byte[] metadataKey(byte[] userKey) {
        byte[] out = new byte[1 + ns.length + userKey.length];
        out[0] = (byte) ns.length;
        System.arraycopy(ns, 0, out, 1, ns.length);
        System.arraycopy(userKey, 0, out, 1 + ns.length, userKey.length);
        return out;
    }

    /** True when the metadata key belongs to this namespace. */
    public boolean holds(byte[] metadataKey) {
        return metadataKey.length >= 1 + ns.length && metadataKey[0] == (byte) ns.length
                && Arrays.equals(metadataKey, 1, 1 + ns.length, ns, 0, ns.length);
    }

    /** The namespace a metadata or subkey belongs to, or null when the key is too short to hold one. */
    public static String namespaceOf(byte[] internalKey) {
        if (internalKey.length == 0 || internalKey.length < 1 + (internalKey[0] & 0xff)) {
            return null;
        }
        return new String(internalKey, 1, internalKey[0] & 0xff, StandardCharsets.UTF_8);
    }

    /** A metadata key of any namespace, taken apart. */
    public record NamespacedKey(String namespace, byte[] userKey) {
    }

    /** The namespace and user key of a metadata key of any namespace; null when it is too short to be one. */
    public static NamespacedKey parseMetadataKey(byte[] metadataKey) {
        String namespace = namespaceOf(metadataKey);
        if (namespace == null) {
            return null;
        }
        return new NamespacedKey(namespace, Arrays.copyOfRange(metadataKey, 1 + (metadataKey[0] & 0xff), metadataKey.length));
    }

    /** The user key inside a metadata key of this namespace. */
    public byte[] userKeyOf(byte[] metadataKey) {
        return Arrays.copyOfRange(metadataKey, 1 + ns.length, metadataKey.length);
    }

    /** {@code [ns_len][ns][key_len][key][version]}: every subkey of one collection version starts with it. */
    public byte[] subkeyPrefix(byte[] userKey, long version) {
        ByteBuffer b = ByteBuffer.allocate(1 + ns.length + 4 + userKey.length + 8);
        b.put((byte) ns.length).put(ns).putInt(userKey.length).put(userKey).putLong(version);
        return b.array();
    }

    public byte[] subkey(byte[] userKey, long version, byte[] sub) {
        ByteBuffer b = ByteBuffer.allocate(1 + ns.length + 4 + userKey.length + 8 + sub.length);
        b.put((byte) ns.length).put(ns).putInt(userKey.length).put(userKey).putLong(version).put(sub);
        return b.array();
    }

    /** The subkey bytes after a prefix made by {@link #subkeyPrefix}. */
    public static byte[] subkeyOf(byte[] internalKey, int prefixLength) {
        return Arrays.copyOfRange(internalKey, prefixLength, internalKey.length);
    }
}
