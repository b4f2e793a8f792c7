package dev.basalt.types;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The registry of data types by Kvrocks type code: how a stored metadata value finds its type. Adding a
 * type is its own class declaring a {@link DataType} and one line registering it here.
 */
public final class DataTypes {
    private static final AtomicReferenceArray<DataType<?>> BY_CODE = new AtomicReferenceArray<>(16);

    static {
        register(StringType.TYPE);
        register(HashType.TYPE);
        register(ListType.TYPE);
        register(SetType.TYPE);
        register(ZSetType.TYPE);
        register(BitmapType.TYPE);
        register(SortedIntType.TYPE);
        register(HyperLogLogType.TYPE);
        register(StreamType.TYPE);
        ForeignTypes.ALL.forEach(DataTypes::register);
    }

    private DataTypes() {
    }

    /** Makes the type known by its code; registering it again is harmless, another type under a taken code is refused. */
    public static void register(DataType<?> type) {
        DataType<?> before = BY_CODE.compareAndExchange(type.code(), null, type);
        if (before != null && before != type) {
            throw new IllegalArgumentException("type code " + type.code() + " is taken by " + before);
        }
    }

    /** The type registered under code; IllegalArgumentException when none is. */
    public static DataType<?> forCode(int code) {
        DataType<?> t = code >= 0 && code < BY_CODE.length() ? BY_CODE.get(code) : null;
        if (t == null) {
            throw new IllegalArgumentException("unknown Kvrocks type code " + code);
        }
        return t;
    }
}
