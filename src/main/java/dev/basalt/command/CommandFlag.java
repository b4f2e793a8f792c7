package dev.basalt.command;

/** Properties of a command that the dispatcher acts on; names follow Redis's COMMAND INFO flags. */
public enum CommandFlag {
    /** Changes data: its batch is committed before the reply goes out. */
    WRITE("write"),
    READONLY("readonly"),
    ADMIN("admin"),
    /** Refused inside MULTI. */
    NO_MULTI("no_multi"),
    /** May park the client (BLPOP...); inside MULTI it behaves as its non-blocking form. */
    BLOCKING("blocking"),
    /** Allowed before AUTH succeeds. */
    NO_AUTH("no_auth"),
    FAST("fast"),
    LOADING("loading"),
    STALE("stale"),
    /** Needs the whole keyspace to itself (FLUSHALL, KEYS, SCAN...): takes the keyspace lock exclusively. */
    KEYSPACE(null),
    /** Executed even while MULTI is queueing (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET). */
    TRANSACTION_CONTROL(null),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript");

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** The name COMMAND INFO shows, or null for Basalt's internal flags. */
    public String redisName() {
        return redisName;
    }
}
