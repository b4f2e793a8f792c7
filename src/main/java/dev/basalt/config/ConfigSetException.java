package dev.basalt.config;

/** CONFIG SET refused its arguments; {@link #getMessage()} is Redis's error text (without "ERR "). */
public final class ConfigSetException extends Exception {
    private ConfigSetException(String message) {
        super(message, null, false, false);
    }

    /** A name Basalt does not know (named as the client wrote it). */
    static ConfigSetException unknown(String arg) {
        return new ConfigSetException("Unknown option or number of arguments for CONFIG SET - '" + arg + "'");
    }

    /** A directive fixed at start-up (named as the client wrote it). */
    static ConfigSetException immutable(String arg) {
        return failed(arg, "can't set immutable config");
    }

    static ConfigSetException duplicate(String arg) {
        return failed(arg, "duplicate parameter");
    }

    /** Kvrocks's wording, for what only Kvrocks has (the RocksDB options): "CONFIG SET 'name' error: reason". */
    static ConfigSetException kvrocks(String arg, String reason) {
        return new ConfigSetException("CONFIG SET '" + arg + "' error: " + reason);
    }

    /** A refused value (Redis names the directive by its canonical name here). */
    static ConfigSetException failed(String arg, String reason) {
        return new ConfigSetException("CONFIG SET failed (possibly related to argument '" + arg + "') - " + reason);
    }
}
