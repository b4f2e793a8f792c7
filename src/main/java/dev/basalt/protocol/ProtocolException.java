package dev.basalt.protocol;

/** A malformed request: the client gets {@code -ERR Protocol error: <reason>} and its connection is closed. */
public final class ProtocolException extends Exception {
    public ProtocolException(String reason) {
        super(reason);
    }

    /** The full error line as Redis sends it, without the leading '-'. */
    public String replyText() {
        return "ERR Protocol error: " + getMessage();
    }
}
