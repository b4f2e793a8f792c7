package dev.basalt.rdb;

/** An RDB payload or file that does not hold what Redis's format says it must. */
public class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message);
    }
}
