package dev.basalt.command;

import static dev.basalt.config.KeyspaceEventFlags.GENERIC;
import static dev.basalt.config.KeyspaceEventFlags.KEY_MISS;
import static dev.basalt.config.KeyspaceEventFlags.NEW;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.StorageException;
import dev.basalt.storage.Txn;
import dev.basalt.types.Keyspace;
import dev.basalt.util.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keyspace events of the commands sharing one Txn, held until its commit: a failed command's
 * events are dropped with its writes, and a failed commit drops them all. Nothing is gathered while
 * notifications are off.
 */
public final class PendingEvents {
    private final KeyspaceNotifications notifications;
    private List<KeyspaceNotifications.Event> events = List.of();
    private int commandStart;
    /** The metadata keys the running write names that did not exist when it started ("new" events). */
    private Set<ByteKey> absentBefore = Set.of();

    public PendingEvents(KeyspaceNotifications notifications) {
        this.notifications = notifications;
    }

    /**
     * A command starts: its events go after those gathered so far. With "new key" events on, the keys a
     * write names that do not exist yet are noted, to say "new" for those it creates.
     */
    public void startCommand(CommandSpec spec, byte[][] argv, Txn txn) {
        commandStart = events.size();
        absentBefore = Set.of();
        if (!spec.has(CommandFlag.WRITE) || !notifications.wants(NEW)) {
            return;
        }
        try {
            Keyspace keyspace = new Keyspace(txn);
            for (byte[] k : spec.keys(argv)) {
                if (!keyspace.exists(k)) {
                    if (absentBefore.isEmpty()) {
                        absentBefore = new HashSet<>();
                    }
                    absentBefore.add(new ByteKey(txn.codec().metadataKey(k)));
                }
            }
        } catch (ErrorReply | StorageException e) {
            // malformed or unreadable: the command answers its own error
        }
    }

    /** Adds an event the handler reports (see {@link ExecContext#notify}). */
    public void add(int type, String name, String namespace, byte[] key) {
        if (!notifications.wants(type)) {
            return;
        }
        if (events.isEmpty()) {
            events = new ArrayList<>();
        }
        events.add(new KeyspaceNotifications.Event(type, name, namespace, key));
    }

    /** The command failed: its events go with its writes. */
    public void dropCommand() {
        if (events.size() > commandStart) {
            events.subList(commandStart, events.size()).clear();
        }
    }

    /**
     * The command succeeded: its declared event goes first on each key it wrote (the keys of
     * touched[touchedBefore..]), then "del" for each of those keys it left absent (an emptied list...)
     * unless the handler said so already.
     */
    public void commandSucceeded(CommandSpec spec, byte[][] argv, Txn txn, int touchedBefore, String ns)
            throws StorageException {
        if (spec.has(CommandFlag.READONLY) && notifications.wants(KEY_MISS)) {
            keyMisses(spec, argv, txn, ns);
        }
        List<byte[]> touched = txn.touchedKeys();
        if (touched.size() <= touchedBefore) {
            return;
        }
        if (!absentBefore.isEmpty()) {
            newKeys(touched.subList(touchedBefore, touched.size()), txn, ns);
        }
        boolean declared = spec.eventName() != null && notifications.wants(spec.eventType());
        // FLUSHDB and FLUSHALL say nothing per key, as in Redis.
        boolean dels = notifications.wants(GENERIC) && !"del".equals(spec.eventName())
                && !spec.has(CommandFlag.KEYSPACE);
        if (!declared && !dels) {
            return;
        }
        KeyCodec codec = txn.codec();
        Set<ByteKey> seen = new HashSet<>();
        Set<ByteKey> expired = "del".equals(spec.eventName()) ? expiredSet(txn) : Set.of();
        List<KeyspaceNotifications.Event> own = new ArrayList<>();
        List<KeyspaceNotifications.Event> emptied = new ArrayList<>();
        Keyspace keyspace = dels ? new Keyspace(txn) : null;
        for (byte[] mk : touched.subList(touchedBefore, touched.size())) {
            ByteKey k = new ByteKey(mk);
            if (!codec.holds(mk) || !seen.add(k)) {
                continue; // another namespace's key (FLUSHALL) or already done
            }
            byte[] key = codec.userKeyOf(mk);
            if (declared && !expired.contains(k)) {
                own.add(new KeyspaceNotifications.Event(spec.eventType(), spec.eventName(), ns, key));
            }
            if (dels && !keyspace.exists(key) && !alreadySaidGone(key)) {
                emptied.add(new KeyspaceNotifications.Event(GENERIC, "del", ns, key));
            }
        }
        if (own.isEmpty() && emptied.isEmpty()) {
            return;
        }
        if (events.isEmpty()) {
            events = new ArrayList<>();
        }
        events.addAll(commandStart, own);
        events.addAll(emptied);
    }

    /** "keymiss" for each key a read names that does not exist (Redis says it for every read lookup that misses). */
    private void keyMisses(CommandSpec spec, byte[][] argv, Txn txn, String ns) throws StorageException {
        List<byte[]> keys;
        try {
            keys = spec.keys(argv);
        } catch (ErrorReply e) {
            return;
        }
        Keyspace keyspace = new Keyspace(txn);
        for (byte[] k : keys) {
            if (!keyspace.exists(k)) {
                add(KEY_MISS, "keymiss", ns, k);
            }
        }
    }

    /** "new" for each key the command created, ahead of the command's own events (Redis says it on creation). */
    private void newKeys(List<byte[]> touched, Txn txn, String ns) throws StorageException {
        Keyspace keyspace = new Keyspace(txn);
        List<KeyspaceNotifications.Event> created = new ArrayList<>();
        Set<ByteKey> said = new HashSet<>();
        for (byte[] mk : touched) {
            ByteKey k = new ByteKey(mk);
            if (absentBefore.contains(k) && said.add(k)) {
                byte[] key = txn.codec().userKeyOf(mk);
                if (keyspace.exists(key)) {
                    created.add(new KeyspaceNotifications.Event(NEW, "new", ns, key));
                }
            }
        }
        if (!created.isEmpty()) {
            if (events.isEmpty()) {
                events = new ArrayList<>();
            }
            events.addAll(commandStart, created);
            commandStart += created.size(); // the command's own events still go after them, in order
        }
    }

    /** True when the handler already said the key went away in this command ("del", RENAME's "rename_from"). */
    private boolean alreadySaidGone(byte[] key) {
        for (int i = commandStart; i < events.size(); i++) {
            KeyspaceNotifications.Event e = events.get(i);
            if ((e.name().equals("del") || e.name().equals("rename_from")) && Arrays.equals(e.key(), key)) {
                return true;
            }
        }
        return false;
    }

    private static Set<ByteKey> expiredSet(Txn txn) {
        if (txn.expiredSeen().isEmpty()) {
            return Set.of();
        }
        Set<ByteKey> s = new HashSet<>();
        for (byte[] k : txn.expiredSeen()) {
            s.add(new ByteKey(k));
        }
        return s;
    }

    /** After the commit: "expired" for the expired keys it removed, then every gathered event, in order. */
    public void publishCommitted(Txn txn) {
        notifications.publishExpired(txn.expiredSeen(), txn.touchedKeys());
        notifications.publish(events);
        events = List.of();
    }

    /** The events gathered so far, in order (a script hands its calls' events to its own command). */
    public List<KeyspaceNotifications.Event> gathered() {
        return events;
    }

    /** The commit failed or was abandoned: nothing happened, nothing is said. */
    public void clear() {
        events = List.of();
    }
}
