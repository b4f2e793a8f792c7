package dev.basalt.command;

import static dev.basalt.config.KeyspaceEventFlags.EXPIRED;
import static dev.basalt.config.KeyspaceEventFlags.KEYEVENT;
import static dev.basalt.config.KeyspaceEventFlags.KEYSPACE;

import dev.basalt.config.Config;
import dev.basalt.config.KeyspaceEventFlags;
import dev.basalt.storage.KeyCodec;
import dev.basalt.util.ByteKey;
import dev.basalt.util.Bytes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keyspace notifications (notify-keyspace-events): events are gathered while a command runs and
 * published only after its commit, as {@code __keyspace@0__:<key>} (the event as message) and
 * {@code __keyevent@0__:<event>} (the key as message). A key's events reach only subscribers logged in
 * to the key's namespace, so one tenant never learns another's key names. With notifications off,
 * {@link #wants} is one volatile read and a compare, and nothing is gathered.
 */
public final class KeyspaceNotifications {
    /** One event awaiting its commit: the namespace and user key it is about. */
    public record Event(int type, String name, String namespace, byte[] key) {
    }

    private static final byte[] KEYSPACE_PREFIX = Bytes.of("__keyspace@0__:");
    private static final byte[] KEYEVENT_PREFIX = Bytes.of("__keyevent@0__:");

    private final Config config;
    private final PubSub pubsub;
    private record Parsed(String text, int flags) {
    }

    private volatile Parsed parsed = new Parsed(null, 0);

    public KeyspaceNotifications(Config config, PubSub pubsub) {
        this.config = config;
        this.pubsub = pubsub;
    }

    /** The current flags, parsed again only when the directive's text changed. */
    private int flags() {
        String text = config.getString("notify-keyspace-events");
        Parsed p = parsed;
        if (p.text() != text) {
            int f;
            try {
                f = KeyspaceEventFlags.parse(text);
            } catch (dev.basalt.config.InvalidValueException e) {
                f = 0;
            }
            p = new Parsed(text, f);
            parsed = p;
        }
        return p.flags();
    }

    /** True when an event of this class would be published (some channel kind and the class are on). */
    public boolean wants(int type) {
        int f = flags();
        return (f & type) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
    }

    /** Publishes events whose commit succeeded, in order. */
    public void publish(List<Event> events) {
        if (events.isEmpty() || !pubsub.hasListeners()) {
            return;
        }
        int f = flags();
        for (Event e : events) {
            if ((f & e.type()) == 0) {
                continue;
            }
            byte[] name = Bytes.of(e.name());
            if ((f & KEYSPACE) != 0) {
                pubsub.publishInNamespace(concat(KEYSPACE_PREFIX, e.key()), name, e.namespace());
            }
            if ((f & KEYEVENT) != 0) {
                pubsub.publishInNamespace(concat(KEYEVENT_PREFIX, name), e.key(), e.namespace());
            }
        }
    }

    /**
     * "expired" for each key a commit removed because it had expired: those a command of the Txn found
     * expired and that the commit then wrote (overwrote or deleted), each once.
     */
    public void publishExpired(List<byte[]> expiredSeen, List<byte[]> touched) {
        if (expiredSeen.isEmpty() || !wants(EXPIRED)) {
            return;
        }
        Set<ByteKey> written = new HashSet<>();
        for (byte[] k : touched) {
            written.add(new ByteKey(k));
        }
        Set<ByteKey> done = new HashSet<>();
        List<Event> events = new java.util.ArrayList<>();
        for (byte[] mk : expiredSeen) {
            ByteKey k = new ByteKey(mk);
            if (written.contains(k) && done.add(k)) {
                String ns = KeyCodec.namespaceOf(mk);
                if (ns != null) {
                    events.add(new Event(EXPIRED, "expired", ns, new KeyCodec(ns).userKeyOf(mk)));
                }
            }
        }
        publish(events);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
