package dev.basalt.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a kvrocks.conf (plus command-line overrides) into a {@link Config}, validating every
 * directive, and writes the running configuration back into the file for CONFIG REWRITE.
 */
public final class ConfigFile {
    /** A directive given on the command line: {@code --name value}. */
    public record Override(String name, String value) {
    }

    private ConfigFile() {
    }

    /**
     * The configuration: defaults, then the file (when not null), then the overrides in order (the
     * command line wins). Warnings (unknown directives, directives Basalt accepts but does not act on)
     * go to {@code warnings}.
     *
     * @throws ConfigException naming the file and line (or the option) and why
     */
    public static Config load(Path file, List<Override> overrides, Consumer<String> warnings) throws ConfigException {
        Config config = Config.defaults();
        Map<String, String> origin = new HashMap<>();
        if (file != null) {
            readInto(config, file, origin, warnings);
            config.setFile(file);
        }
        for (Override o : overrides) {
            String where = "--" + o.name();
            Directive d = ConfigSchema.lookup(o.name());
            if (d == null) {
                throw new ConfigException(where + ": unknown directive");
            }
            try {
                String v = d.normalize(o.value());
                if (d.type() == Directive.Type.MULTI) {
                    config.addEntry(d.name(), v);
                } else {
                    config.put(d.name(), v);
                }
            } catch (InvalidValueException e) {
                throw new ConfigException(where + ": " + e.reason());
            }
            origin.put(d.name(), where);
        }
        Config.Problem p = Config.consistencyProblem(config.snapshot());
        if (p != null) {
            String where = origin.getOrDefault(p.key(), file != null ? file.toString() : "command line");
            throw new ConfigException(where + ": " + p.key() + ": " + p.reason());
        }
        for (Directive d : ConfigSchema.all()) {
            String v = config.getString(d.name());
            if (d.applied() || v.equals(d.defaultValue())) {
                continue;
            }
            // A directive Basalt would accept and then ignore: refused, so nobody relies on it silently.
            throw new ConfigException(origin.get(d.name()) + ": " + d.name() + ": " + ConfigSchema.notActedOn(d));
        }
        return config;
    }

    private static void readInto(Config config, Path file, Map<String, String> origin, Consumer<String> warnings)
            throws ConfigException {
        List<String> lines;
        try {
            lines = readLines(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + describe(e));
        }
        for (int i = 0; i < lines.size(); i++) {
            ConfigLine line = ConfigLine.parse(lines.get(i));
            if (!line.isDirective()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String name = line.key();
            try {
                if (ConfigSchema.isNamespace(name)) {
                    String token = line.single();
                    if (name.length() == ConfigSchema.NAMESPACE_PREFIX.length()) {
                        throw new InvalidValueException("the namespace name is empty");
                    }
                    if (!token.isEmpty()) {
                        config.put(name, token);
                        origin.put(Config.key(name), where);
                    }
                    continue;
                }
                Directive d = ConfigSchema.lookup(name);
                if (d == null) {
                    String value = line.single();
                    config.addUnknown(new Config.UnknownDirective(name, value, i + 1));
                    warnings.accept(where + ": unknown directive '" + name + "' ignored (kept in the file by CONFIG REWRITE)");
                    continue;
                }
                String value = valueOf(d, line);
                if (value == null) {
                    continue; // Kvrocks ignores a directive without a value
                }
                if (d.type() == Directive.Type.MULTI) {
                    config.addEntry(d.name(), value);
                } else {
                    config.put(d.name(), value);
                }
                origin.put(d.name(), where);
            } catch (InvalidValueException e) {
                String shown = ConfigSchema.lookup(name) != null ? ConfigSchema.lookup(name).name() : name;
                throw new ConfigException(where + ": " + shown + ": " + e.reason());
            }
        }
    }

    /** The canonical value a line gives a known directive, or null when it gives none. */
    private static String valueOf(Directive d, ConfigLine line) throws InvalidValueException {
        if (d.type() == Directive.Type.LIST || d.type() == Directive.Type.MULTI) {
            List<String> words = line.words();
            return words.isEmpty() ? null : d.normalizeTokens(words);
        }
        String v = line.single();
        return v.isEmpty() ? null : d.normalize(v);
    }

    private static List<String> readLines(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** An I/O failure in a few words ("no such file or directory"), without repeating the path. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * CONFIG REWRITE: writes the running configuration into its file. Comments, blank lines, the order
     * of lines, unknown directives and rename-command lines stay as they are; a directive's first line
     * gets its current value (kept byte for byte when the value did not change) and its later
     * duplicates go; directives not in the file whose value differs from the default are appended.
     * The new text replaces the file atomically.
     *
     * @throws IOException when the file cannot be read or replaced
     */
    public static void rewrite(Config config) throws IOException {
        Path file = config.file();
        if (file == null) {
            throw new IllegalStateException("no configuration file");
        }
        config.updateLock().lock();
        try {
            List<String> old;
            try {
                old = readLines(file);
            } catch (NoSuchFileException e) {
                old = List.of(); // gone since start-up: written afresh
            } catch (IOException e) {
                throw new IOException("cannot read " + file + ": " + describe(e), e);
            }
            Map<String, String> current = config.snapshot();
            // With namespaces replicated, Kvrocks keeps their tokens in the database, not in the file.
            boolean namespacesInFile = !config.getBool("repl-namespace-enabled");
            Set<String> done = new HashSet<>();
            List<String> out = new ArrayList<>();
            for (String raw : old) {
                ConfigLine line = ConfigLine.parse(raw);
                if (!line.isDirective()) {
                    out.add(raw);
                    continue;
                }
                String key = Config.key(line.key());
                Directive d = ConfigSchema.lookup(key);
                boolean namespace = ConfigSchema.isNamespace(key);
                if (namespace && !namespacesInFile) {
                    continue;
                }
                if ((d == null && !namespace) || (d != null && d.type() == Directive.Type.MULTI)) {
                    out.add(raw);
                    continue;
                }
                if (!done.add(key)) {
                    continue; // a later duplicate: the first line carries the value now
                }
                String cur = current.get(key);
                String onLine = lineValue(d, line);
                if (cur == null || cur.isEmpty()) {
                    if (onLine == null) {
                        out.add(raw);
                    }
                    continue; // an empty value reads as "not set", so the line goes
                }
                out.add(cur.equals(onLine) ? raw : dump(d, key, cur));
            }
            List<String> appended = new ArrayList<>();
            for (Directive d : ConfigSchema.all()) {
                String cur = current.get(d.name());
                if (d.type() != Directive.Type.MULTI && !done.contains(d.name()) && cur != null && !cur.isEmpty()
                        && !cur.equals(d.defaultValue())) {
                    appended.add(dump(d, d.name(), cur));
                }
            }
            current.keySet().stream()
                    .filter(k -> namespacesInFile && ConfigSchema.isNamespace(k) && !done.contains(k)).sorted()
                    .forEach(k -> appended.add(ConfigLine.dump(k, current.get(k))));
            out.addAll(appended);
            StringBuilder text = new StringBuilder();
            for (String l : out) {
                text.append(l).append('\n');
            }
            // Through a symbolic link to the file itself, so the link stays a link.
            Path abs = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            try {
                Files.deleteIfExists(tmp);
                Files.createFile(tmp);
                keepPermissions(abs, tmp);
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw new IOException("cannot write " + file + ": " + describe(e), e);
            }
        } finally {
            config.updateLock().unlock();
        }
    }

    /** The new file gets the old one's permissions: it may hold passwords, and was perhaps readable by its owner only. */
    private static void keepPermissions(Path from, Path to) throws IOException {
        if (Files.exists(from) && Files.getFileStore(to).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        }
    }

    /** The canonical value on a line, or null when it has none or it does not read. */
    private static String lineValue(Directive d, ConfigLine line) {
        try {
            if (d == null) {
                String v = line.single();
                return v.isEmpty() ? null : v;
            }
            return valueOf(d, line);
        } catch (InvalidValueException e) {
            return null;
        }
    }

    private static String dump(Directive d, String key, String value) {
        if (d != null && d.type() == Directive.Type.LIST) {
            List<String> words = new ArrayList<>();
            for (String w : ConfigLine.splitWords(value)) {
                words.add(ConfigLine.quote(w));
            }
            return key + " " + String.join(" ", words);
        }
        return ConfigLine.dump(key, value);
    }
}
