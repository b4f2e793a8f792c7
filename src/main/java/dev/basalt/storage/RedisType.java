package dev.basalt.storage;

/** Kvrocks's type codes (low 4 bits of the metadata flags) and the names TYPE answers. */
public enum RedisType {
    NONE(0, "none"),
    STRING(1, "string"),
    HASH(2, "hash"),
    LIST(3, "list"),
    SET(4, "set"),
    ZSET(5, "zset"),
    BITMAP(6, "string"),
    SORTEDINT(7, "sortedint"),
    STREAM(8, "stream"),
    BLOOM(9, "MBbloom--"),
    JSON(10, "ReJSON-RL"),
    HYPERLOGLOG(11, "string"),
    TDIGEST(12, "TDIS-TYPE"),
    TIMESERIES(13, "timeseries");

    private static final RedisType[] BY_CODE = new RedisType[16];

    static {
        for (RedisType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final String typeName;

    RedisType(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    public int code() {
        return code;
    }

    /** What TYPE answers (bitmaps and HyperLogLogs are strings to Redis clients). */
    public String typeName() {
        return typeName;
    }

    public boolean isCollection() {
        return this != STRING && this != JSON && this != NONE;
    }

    /** Types that exist even with no elements (Kvrocks's IsEmptyableType). */
    public boolean emptyable() {
        return this == STRING || this == JSON || this == STREAM || this == BLOOM || this == HYPERLOGLOG;
    }

    public static RedisType fromCode(int code) {
        RedisType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (t == null) {
            throw new IllegalArgumentException("unknown Kvrocks type code " + code);
        }
        return t;
    }
}
