package dev.basalt.scripting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The FUNCTION libraries: which library holds which function with which flags. Every change bumps a
 * version, by which each {@link LuaEngine} knows to reload. Persisting them is the caller's
 * ({@link FunctionKeys} names Kvrocks's keys).
 */
public final class FunctionRegistry {
    public record Function(String name, String library, String description, Set<ScriptFlags.Flag> flags) {
    }

    public record Library(String name, byte[] code, List<Function> functions) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    private volatile long version;

    public long version() {
        return version;
    }

    public List<Library> libraries() {
        lock.lock();
        try {
            return new ArrayList<>(libraries.values());
        } finally {
            lock.unlock();
        }
    }

    public Library library(String name) {
        lock.lock();
        try {
            return libraries.get(name);
        } finally {
            lock.unlock();
        }
    }

    public Function function(String name) {
        lock.lock();
        try {
            return functions.get(name);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks and runs a library's code in {@code engine} and answers what it would register, without
     * adding it (the caller persists, then {@link #put}s it). Throws {@link LibraryException} with
     * Redis's error text.
     */
    public Library prepare(LuaEngine engine, byte[] code, boolean replace) throws LibraryException {
        String name = ScriptFlags.libraryName(code);
        lock.lock();
        try {
            if (!replace && libraries.containsKey(name)) {
                throw new LibraryException("ERR Library '" + name + "' already exists");
            }
        } finally {
            lock.unlock();
        }
        Map<String, Integer> refs = new HashMap<>();
        List<Function> registered;
        try {
            registered = engine.loadLibrary(name, code, refs);
        } finally {
            engine.release(refs);
        }
        if (registered.isEmpty()) {
            throw new LibraryException("ERR No functions registered");
        }
        lock.lock();
        try {
            for (Function f : registered) {
                Function existing = functions.get(f.name());
                if (existing != null && !existing.library().equals(name)) {
                    throw new LibraryException("ERR Function " + f.name() + " already exists");
                }
            }
        } finally {
            lock.unlock();
        }
        return new Library(name, code, List.copyOf(registered));
    }

    /** Adds or replaces a prepared library; answers the library it replaced, or null. */
    public Library put(Library library) {
        lock.lock();
        try {
            Library old = libraries.put(library.name(), library);
            if (old != null) {
                for (Function f : old.functions()) {
                    functions.remove(f.name());
                }
            }
            for (Function f : library.functions()) {
                functions.put(f.name(), f);
            }
            version++;
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a library; answers it, or null when there is none by that name. */
    public Library delete(String name) {
        lock.lock();
        try {
            Library old = libraries.remove(name);
            if (old != null) {
                for (Function f : old.functions()) {
                    functions.remove(f.name());
                }
                version++;
            }
            return old;
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            libraries.clear();
            functions.clear();
            version++;
        } finally {
            lock.unlock();
        }
    }
}
