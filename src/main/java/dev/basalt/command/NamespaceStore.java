package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigFile;
import dev.basalt.config.ConfigSchema;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.util.Bytes;
import dev.basalt.util.Json;
import dev.basalt.util.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Namespace tokens changed at run time (NAMESPACE ADD/SET/DEL), kept as Kvrocks keeps them: the
 * {@code namespace.<name> <token>} lines of the configuration file, rewritten on every change; or, with
 * {@code repl-namespace-enabled yes}, a JSON object of token to name under {@value #DB_KEY} in the
 * propagate column family (and no namespace lines in the file). The tokens themselves live in the
 * {@link Config}, which AUTH reads on every login, so a change takes effect for the next AUTH.
 */
public final class NamespaceStore {
    /** Kvrocks's key for the namespace tokens in the propagate column family. */
    static final String DB_KEY = "__namespace_keys__";
    private static final int MAX_NAME_BYTES = 255;

    private final Config config;
    private final Storage storage;
    private final ReentrantLock lock = new ReentrantLock();

    public NamespaceStore(Config config, Storage storage) {
        this.config = config;
        this.storage = storage;
    }

    /** A change refused, with Kvrocks's reason. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * At start-up, as Kvrocks: tokens kept in the database join those of the file (the file wins for a
     * token in both); with replication of namespaces on, the file's tokens then move into the database.
     *
     * @throws StorageException when the database holds tokens but replication of namespaces is off, or on
     *     a read or write failure
     */
    public void loadAndRewrite() throws StorageException {
        lock.lock();
        try {
            Map<String, String> dbTokens = readFromDb();
            boolean replicated = config.getBool("repl-namespace-enabled");
            if (!dbTokens.isEmpty() && !replicated) {
                throw new StorageException("cannot switch off repl_namespace_enabled when namespaces exist in db");
            }
            Map<String, String> fileTokens = config.namespaceTokens();
            dbTokens.forEach((token, ns) -> {
                if (!fileTokens.containsKey(token) && config.get(ConfigSchema.NAMESPACE_PREFIX + ns) == null) {
                    config.put(ConfigSchema.NAMESPACE_PREFIX + ns, token);
                }
            });
            if (!fileTokens.isEmpty() && replicated) {
                String failure = persist();
                if (failure != null) {
                    throw new StorageException(failure);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The namespace's token, or null. */
    String token(String namespace) {
        return config.get(ConfigSchema.NAMESPACE_PREFIX + namespace);
    }

    /** Every token and its namespace, ordered by token (as Kvrocks lists them). */
    Map<String, String> tokens() {
        return new TreeMap<>(config.namespaceTokens());
    }

    /** NAMESPACE ADD: a new namespace with a new token; adding the same pair again is a no-op. */
    void add(String namespace, String token) throws Refused {
        lock.lock();
        try {
            String existing = token(namespace);
            if (existing != null) {
                if (existing.equals(token)) {
                    return;
                }
                throw new Refused("the namespace already exists");
            }
            if (config.namespaceTokens().containsKey(token)) {
                throw new Refused("the token already exists");
            }
            set(namespace, token);
        } finally {
            lock.unlock();
        }
    }

    /** NAMESPACE SET: gives the namespace this token (creating it), replacing its old one. */
    void set(String namespace, String token) throws Refused {
        lock.lock();
        try {
            checkName(namespace);
            if (config.getString("requirepass").isEmpty()) {
                throw new Refused("forbidden to add namespace when requirepass was empty");
            }
            checkModifiable();
            if (namespace.equals(KeyCodec.DEFAULT_NAMESPACE)) {
                throw new Refused("forbidden to add the default namespace");
            }
            if (token.equals(config.getString("requirepass")) || token.equals(config.getString("masterauth"))) {
                throw new Refused("the token is duplicated with requirepass or masterauth");
            }
            Map<String, String> before = config.namespaceTokens();
            // A token names one namespace: another namespace holding it loses it, as in Kvrocks's token map.
            String holder = before.get(token);
            if (holder != null && !holder.equals(namespace)) {
                config.remove(ConfigSchema.NAMESPACE_PREFIX + holder);
            }
            config.put(ConfigSchema.NAMESPACE_PREFIX + namespace, token);
            String failure = persist();
            if (failure != null) {
                restore(before);
                throw new Refused(failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** NAMESPACE DEL: the namespace's token stops working (its keys stay). */
    void delete(String namespace) throws Refused {
        lock.lock();
        try {
            if (namespace.equals(KeyCodec.DEFAULT_NAMESPACE)) {
                throw new Refused("forbidden to delete the default namespace");
            }
            checkModifiable();
            if (token(namespace) == null) {
                throw new Refused("the namespace was not found");
            }
            Map<String, String> before = config.namespaceTokens();
            config.remove(ConfigSchema.NAMESPACE_PREFIX + namespace);
            String failure = persist();
            if (failure != null) {
                restore(before);
                throw new Refused(failure);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void checkName(String namespace) throws Refused {
        byte[] b = Bytes.of(namespace);
        if (b.length > MAX_NAME_BYTES) {
            throw new Refused("size exceed limit " + MAX_NAME_BYTES);
        }
        if (b.length > 0 && b[b.length - 1] == Byte.MAX_VALUE) {
            throw new Refused("namespace contain illegal letter");
        }
    }

    private void checkModifiable() throws Refused {
        if (config.file() == null && !config.getBool("repl-namespace-enabled")) {
            throw new Refused("modify namespace requires the server is running with a configuration file or "
                    + "enabled namespace replication");
        }
    }

    /** Puts the namespace tokens back as they were (a change that could not be kept). */
    private void restore(Map<String, String> tokens) {
        for (String ns : config.namespaceTokens().values()) {
            config.remove(ConfigSchema.NAMESPACE_PREFIX + ns);
        }
        tokens.forEach((token, ns) -> config.put(ConfigSchema.NAMESPACE_PREFIX + ns, token));
    }

    /** Writes the tokens where Kvrocks keeps them; the failure's text, or null. */
    private String persist() {
        if (config.file() != null) {
            try {
                ConfigFile.rewrite(config);
            } catch (IOException e) {
                Log.warn("NAMESPACE: rewriting the configuration file failed: " + e.getMessage());
                return e.getMessage();
            }
        }
        if (config.getBool("repl-namespace-enabled")) {
            try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                txn.put(ColumnFamily.PROPAGATE, Bytes.of(DB_KEY),
                        Json.stringObject(new TreeMap<>(config.namespaceTokens())).getBytes(StandardCharsets.UTF_8));
                storage.commit(txn);
            } catch (StorageException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    private Map<String, String> readFromDb() throws StorageException {
        byte[] raw;
        try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
            raw = txn.get(ColumnFamily.PROPAGATE, Bytes.of(DB_KEY));
        }
        if (raw == null) {
            return Map.of();
        }
        try {
            return Json.parseStringObject(new String(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new StorageException("the namespace tokens in the propagate column family do not read: " + e.getMessage());
        }
    }
}
