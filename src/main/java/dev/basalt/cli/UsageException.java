package dev.basalt.cli;

/** The command line is wrong (unknown option, missing value...); the message is one line naming it. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
