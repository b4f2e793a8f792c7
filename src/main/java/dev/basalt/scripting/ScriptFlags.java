package dev.basalt.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Script and function flags ({@code #!lua flags=no-writes,allow-oom} or register_function's flags),
 * and the shebang line that carries them.
 */
public final class ScriptFlags {
    public enum Flag {
        NO_WRITES("no-writes"), ALLOW_OOM("allow-oom"), ALLOW_STALE("allow-stale"), NO_CLUSTER("no-cluster"),
        ALLOW_CROSS_SLOT_KEYS("allow-cross-slot-keys");

        private final String text;

        Flag(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Flag of(String text) {
            for (Flag f : values()) {
                if (f.text.equals(text)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** What a script's shebang said; {@code shebang} is false for scripts without one (Redis's legacy mode). */
    public record Parsed(boolean shebang, Set<Flag> flags) {
        public boolean noWrites() {
            return flags.contains(Flag.NO_WRITES);
        }
    }

    private ScriptFlags() {
    }

    /** An EVAL body's shebang flags; throws {@link IllegalArgumentException} with Redis's error text. */
    public static Parsed ofScript(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Parsed(false, EnumSet.noneOf(Flag.class));
        }
        String line = firstLine(body);
        String[] parts = line.split(" ");
        if (!parts[0].equals("#!lua")) {
            throw new IllegalArgumentException("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (!part.startsWith("flags=")) {
                throw new IllegalArgumentException("ERR Unknown lua shebang option: " + part);
            }
            String list = part.substring("flags=".length());
            if (list.isEmpty()) {
                continue;
            }
            for (String name : list.split(",", -1)) {
                Flag f = Flag.of(name);
                if (f == null) {
                    throw new IllegalArgumentException("ERR Unexpected flag in script shebang: " + name);
                }
                flags.add(f);
            }
        }
        return new Parsed(true, flags);
    }

    /** The flags register_function was given (already checked by the library loader). */
    static Set<Flag> ofNames(Collection<String> names) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (String n : names) {
            Flag f = Flag.of(n);
            if (f != null) {
                flags.add(f);
            }
        }
        return flags;
    }

    public static List<String> names(Set<Flag> flags) {
        List<String> names = new ArrayList<>();
        for (Flag f : flags) {
            names.add(f.text());
        }
        return names;
    }

    /**
     * A library's shebang metadata: {@code #!lua name=<lib>}. Throws {@link LibraryException} with
     * Redis's texts for a missing or malformed header.
     */
    public static String libraryName(byte[] code) throws LibraryException {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new LibraryException("ERR Missing library metadata");
        }
        String line = firstLine(code);
        String[] parts = line.split(" ");
        if (!parts[0].equals("#!lua")) {
            throw new LibraryException("ERR Engine '" + parts[0].substring(2) + "' not found");
        }
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (!part.startsWith("name=")) {
                throw new LibraryException("ERR Invalid metadata value given: " + part);
            }
            name = part.substring("name=".length());
        }
        if (name == null) {
            throw new LibraryException("ERR Library name was not given");
        }
        if (name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) {
            throw new LibraryException("ERR Library names can only contain letters, numbers, or underscores(_) "
                    + "and must be at least one character long");
        }
        return name;
    }

    private static String firstLine(byte[] body) {
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        String line = new String(body, 0, end, StandardCharsets.UTF_8);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The body with a shebang line turned into a Lua comment, so line numbers stay as written. */
    static byte[] commentShebang(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return body;
        }
        byte[] out = new byte[body.length + 2];
        out[0] = '-';
        out[1] = '-';
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }
}
