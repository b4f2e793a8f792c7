package dev.basalt.storage;

/** Kvrocks's column families, in the order Basalt opens them. */
public enum ColumnFamily {
    DEFAULT("default"),
    METADATA("metadata"),
    ZSET_SCORE("zset_score"),
    PUBSUB("pubsub"),
    PROPAGATE("propagate"),
    STREAM("stream"),
    SEARCH("search"),
    INDEX("index");

    /** The families whose keys start with a namespace prefix {@code [ns_len][ns]}: what FLUSHDB/FLUSHALL empty. */
    public static final java.util.List<ColumnFamily> NAMESPACED = java.util.List.of(METADATA, DEFAULT, ZSET_SCORE, STREAM);

    private final String rocksName;

    ColumnFamily(String rocksName) {
        this.rocksName = rocksName;
    }

    public String rocksName() {
        return rocksName;
    }
}
