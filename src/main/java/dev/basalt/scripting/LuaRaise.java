package dev.basalt.scripting;

/**
 * Thrown from a Java function called by Lua to raise a Lua error whose value is exactly the message
 * (luajava raises an exception's {@code toString()}).
 */
final class LuaRaise extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LuaRaise(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
