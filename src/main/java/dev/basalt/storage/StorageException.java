package dev.basalt.storage;

import org.rocksdb.RocksDBException;

/** RocksDB refused an operation; the message is RocksDB's status text, e.g. "Incomplete: Write stall". */
public final class StorageException extends Exception {
    public StorageException(String statusText) {
        super(statusText, null, false, false);
    }

    public static StorageException of(RocksDBException e) {
        return new StorageException(statusText(e));
    }

    /** "Code: state" from the status, falling back to the exception message. */
    public static String statusText(RocksDBException e) {
        if (e.getStatus() != null && e.getStatus().getCode() != null) {
            String state = e.getStatus().getState();
            String code = e.getStatus().getCodeString();
            return state == null || state.isEmpty() ? code : code + ": " + state;
        }
        return e.getMessage();
    }
}
