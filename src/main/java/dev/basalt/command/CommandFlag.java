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
    /**
     * Works on the whole keyspace rather than named keys (KEYS, SCAN, DBSIZE, FLUSHALL...): it ends a
     * pipelined burst; a write of this kind (FLUSHDB, FLUSHALL) takes the keyspace lock exclusively.
     */
    KEYSPACE(null),
    /** Executed even while MULTI is queueing (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET). */
    TRANSACTION_CONTROL(null),
    PUBSUB("pubsub"),
    /** May run while a RESP2 client is in subscribed mode ((P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT, RESET). */
    SUBSCRIBER_OK(null),
    NOSCRIPT("noscript"),
    /** Not shown to MONITOR as such (scripts: MONITOR sees the commands they call). */
    SKIP_MONITOR("skip_monitor"),
    /** May run without any key even though it takes keys (EVAL ... 0). */
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    /**
     * Runs a Lua script (EVAL, FCALL...): it goes alone, locks the keys it declares (reads too) as EXEC
     * does, and commits its calls' writes in one batch.
     */
    SCRIPT(null);

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** The name COMMAND INFO shows, or null for Basalt's internal flags. */
    public String redisName() {
        return redisName;
    }
}
