package dev.basalt.config;

/**
 * The configuration cannot be used: unreadable file, malformed line or refused value. The message
 * is one line naming where and why, e.g. {@code kvrocks.conf:12: port: '70000' is not an integer in [0, 65535]}.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
