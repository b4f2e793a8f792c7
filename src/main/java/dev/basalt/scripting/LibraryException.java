package dev.basalt.scripting;

/** FUNCTION LOAD / RESTORE refused a library; the message is the error reply, e.g. "ERR Library 'x' already exists". */
public final class LibraryException extends Exception {
    private static final long serialVersionUID = 1L;

    public LibraryException(String message) {
        super(message);
    }
}
