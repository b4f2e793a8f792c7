package dev.basalt.scripting;

import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.storage.TxnIterator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scripts and function libraries in the propagate column family, under Kvrocks's keys, so that a
 * Kvrocks data directory's functions load and Basalt's load in Kvrocks: {@code lua_f_<sha>} holds an
 * EVAL script's body, {@code lua_lib_code_<library>} a library's code and
 * {@code lua_func_lib_<function>} the library a function belongs to. Writes go into the caller's Txn.
 */
public final class ScriptStore {
    public static final String SCRIPT_PREFIX = "lua_f_";
    public static final String LIBRARY_CODE_PREFIX = "lua_lib_code_";
    public static final String FUNCTION_LIBRARY_PREFIX = "lua_func_lib_";

    /** A library as stored: its name and code. */
    public record StoredLibrary(String name, byte[] code) {
    }

    private ScriptStore() {
    }

    static byte[] key(String prefix, String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    public static void saveScript(Txn txn, String sha, byte[] body) throws StorageException {
        txn.put(ColumnFamily.PROPAGATE, key(SCRIPT_PREFIX, sha), body);
    }

    /** The body stored for a SHA1, or null. */
    public static byte[] loadScript(Txn txn, String sha) throws StorageException {
        return txn.get(ColumnFamily.PROPAGATE, key(SCRIPT_PREFIX, sha));
    }

    /** SCRIPT FLUSH: every lua_f_ key, as Kvrocks's range delete does. */
    public static void flushScripts(Txn txn) {
        txn.deleteRangeAtCommit(ColumnFamily.PROPAGATE, key(SCRIPT_PREFIX, ""), afterPrefix(SCRIPT_PREFIX));
    }

    public static void saveLibrary(Txn txn, FunctionRegistry.Library library) throws StorageException {
        txn.put(ColumnFamily.PROPAGATE, key(LIBRARY_CODE_PREFIX, library.name()), library.code());
        byte[] name = library.name().getBytes(StandardCharsets.UTF_8);
        for (FunctionRegistry.Function f : library.functions()) {
            txn.put(ColumnFamily.PROPAGATE, key(FUNCTION_LIBRARY_PREFIX, f.name()), name);
        }
    }

    public static void deleteLibrary(Txn txn, FunctionRegistry.Library library) throws StorageException {
        txn.delete(ColumnFamily.PROPAGATE, key(LIBRARY_CODE_PREFIX, library.name()));
        for (FunctionRegistry.Function f : library.functions()) {
            txn.delete(ColumnFamily.PROPAGATE, key(FUNCTION_LIBRARY_PREFIX, f.name()));
        }
    }

    /** Every stored library, in key order. */
    public static List<StoredLibrary> loadLibraries(Txn txn) {
        List<StoredLibrary> libraries = new ArrayList<>();
        byte[] prefix = key(LIBRARY_CODE_PREFIX, "");
        try (TxnIterator it = txn.iterator(ColumnFamily.PROPAGATE, afterPrefix(LIBRARY_CODE_PREFIX))) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                String name = new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8);
                libraries.add(new StoredLibrary(name, it.value()));
            }
        }
        return libraries;
    }

    /** The first key after every key with the prefix (the prefix with its last byte plus one). */
    private static byte[] afterPrefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return end;
    }
}
