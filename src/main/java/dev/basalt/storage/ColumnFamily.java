package dev.basalt.storage;

/**
 * The column families Kvrocks 2.x always has, in the order Basalt opens them; Basalt creates these and
 * no others, so Kvrocks 2.10 can open its directory. Families of newer Kvrocks versions (e.g.
 * {@code index}) are opened when they exist, without a constant here (see Storage).
 */
public enum ColumnFamily {
    DEFAULT("default"),
    METADATA("metadata"),
    ZSET_SCORE("zset_score"),
    PUBSUB("pubsub"),
    PROPAGATE("propagate"),
    STREAM("stream"),
    SEARCH("search");

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
