package dev.basalt.config;

/**
 * A directive's value was refused. Carries two wordings of the same reason: one for start-up
 * messages ("'70000' is not an integer in [0, 65535]") and Redis's wording for CONFIG SET
 * ("argument must be between 0 and 65535 inclusive").
 */
public final class InvalidValueException extends Exception {
    private final String redisReason;

    public InvalidValueException(String reason, String redisReason) {
        super(reason, null, false, false);
        this.redisReason = redisReason;
    }

    public InvalidValueException(String reason) {
        this(reason, reason);
    }

    /** The start-up wording, e.g. "'abc' is not an integer in [0, 65535]". */
    public String reason() {
        return getMessage();
    }

    /** The wording CONFIG SET puts after "CONFIG SET failed (possibly related to argument 'x') - ". */
    public String redisReason() {
        return redisReason;
    }
}
