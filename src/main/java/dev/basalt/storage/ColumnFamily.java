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

    private final String rocksName;

    ColumnFamily(String rocksName) {
        this.rocksName = rocksName;
    }

    public String rocksName() {
        return rocksName;
    }
}
