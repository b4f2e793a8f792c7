package dev.basalt.scripting;

import java.nio.charset.StandardCharsets;

/**
 * Kvrocks's keys for scripts and functions in the propagate column family: {@code lua_f_<sha>} holds
 * an EVAL script's body, {@code lua_lib_code_<library>} a library's code and
 * {@code lua_func_lib_<function>} the library a function belongs to.
 */
public final class FunctionKeys {
    public static final String SCRIPT_PREFIX = "lua_f_";
    public static final String LIBRARY_CODE_PREFIX = "lua_lib_code_";
    public static final String FUNCTION_LIBRARY_PREFIX = "lua_func_lib_";

    private FunctionKeys() {
    }

    public static byte[] script(String sha) {
        return (SCRIPT_PREFIX + sha).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] libraryCode(String library) {
        return (LIBRARY_CODE_PREFIX + library).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] functionLibrary(String function) {
        return (FUNCTION_LIBRARY_PREFIX + function).getBytes(StandardCharsets.UTF_8);
    }
}
