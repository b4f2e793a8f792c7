package dev.basalt.command;

import dev.basalt.protocol.Reply;
import dev.basalt.util.ByteKey;
import dev.basalt.util.ConcurrentSets;
import dev.basalt.util.Glob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who listens to which channel: plain channels, patterns and shard channels, each mapped to its
 * subscribers. A publisher delivers by pushing one ready frame per subscriber through its
 * {@link ClientChannel}, so it never waits for a slow reader. As in Kvrocks, channels are server-wide:
 * namespaces do not scope them.
 */
public final class PubSub {
    /** The three kinds of subscription and their reply and message words. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribeWord;
        final byte[] unsubscribeWord;
        final byte[] messageWord;

        Kind(String subscribe, String unsubscribe, String message) {
            this.subscribeWord = subscribe.getBytes(StandardCharsets.US_ASCII);
            this.unsubscribeWord = unsubscribe.getBytes(StandardCharsets.US_ASCII);
            this.messageWord = message.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Map<ByteKey, Set<ClientSession>> channels = new ConcurrentHashMap<>();
    private final Map<ByteKey, Set<ClientSession>> patterns = new ConcurrentHashMap<>();
    private final Map<ByteKey, Set<ClientSession>> shardChannels = new ConcurrentHashMap<>();

    private Map<ByteKey, Set<ClientSession>> map(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    /** Adds the client to a channel (pattern, shard channel); false when it was subscribed already. */
    public boolean subscribe(ClientSession client, Kind kind, byte[] name) {
        if (!client.subscriptions().add(kind, name)) {
            return false;
        }
        // Added inside compute: a set emptied and removed by another client's unsubscribe at the same moment
        // must not take this subscription with it.
        map(kind).compute(new ByteKey(name), (k, set) -> ConcurrentSets.withMember(set, client));
        return true;
    }

    /** Removes the client from a channel; false when it was not subscribed. */
    public boolean unsubscribe(ClientSession client, Kind kind, byte[] name) {
        if (!client.subscriptions().remove(kind, name)) {
            return false;
        }
        map(kind).computeIfPresent(new ByteKey(name), (k, set) -> {
            set.remove(client);
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    /** Removes every subscription of the client (disconnect, RESET). */
    public void unsubscribeAll(ClientSession client) {
        if (!client.subscribedToAnything()) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (byte[] name : client.subscriptions().names(kind)) {
                unsubscribe(client, kind, name);
            }
        }
    }

    /**
     * Delivers a message to the channel's subscribers and to every matching pattern's; returns how many
     * receivers it was sent to (a client subscribed twice, by channel and pattern, counts twice, as in Redis).
     */
    public int publish(byte[] channel, byte[] message) {
        return publishInNamespace(channel, message, null);
    }

    /** As {@link #publish}, to the subscribers logged in to the namespace only (all when it is null). */
    public int publishInNamespace(byte[] channel, byte[] message, String namespace) {
        int receivers = 0;
        Set<ClientSession> direct = channels.get(new ByteKey(channel));
        if (direct != null && !direct.isEmpty()) {
            Frames frames = new Frames(Kind.CHANNEL.messageWord, null, channel, message);
            for (ClientSession c : direct) {
                if (namespace == null || namespace.equals(c.namespace())) {
                    c.channel().push(frames.forProtocol(c.protocol()));
                    receivers++;
                }
            }
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<ByteKey, Set<ClientSession>> e : patterns.entrySet()) {
                byte[] pattern = e.getKey().bytes();
                if (!Glob.matches(pattern, channel, false)) {
                    continue;
                }
                Frames frames = new Frames(Kind.PATTERN.messageWord, pattern, channel, message);
                for (ClientSession c : e.getValue()) {
                    if (namespace == null || namespace.equals(c.namespace())) {
                        c.channel().push(frames.forProtocol(c.protocol()));
                        receivers++;
                    }
                }
            }
        }
        return receivers;
    }

    /** SPUBLISH: delivers to the shard channel's subscribers only. */
    public int publishShard(byte[] channel, byte[] message) {
        Set<ClientSession> subs = shardChannels.get(new ByteKey(channel));
        if (subs == null || subs.isEmpty()) {
            return 0;
        }
        Frames frames = new Frames(Kind.SHARD.messageWord, null, channel, message);
        int receivers = 0;
        for (ClientSession c : subs) {
            c.channel().push(frames.forProtocol(c.protocol()));
            receivers++;
        }
        return receivers;
    }

    /** True when someone listens to this channel, directly or by a pattern (cheap test before building events). */
    public boolean hasListeners() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    /** Channels (or shard channels) with at least one subscriber whose name matches the pattern (null: all). */
    public List<byte[]> activeChannels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<ByteKey, Set<ClientSession>> e : map(kind).entrySet()) {
            if (!e.getValue().isEmpty() && (pattern == null || Glob.matches(pattern, e.getKey().bytes(), false))) {
                out.add(e.getKey().bytes());
            }
        }
        return out;
    }

    /** Subscribers of one channel (or shard channel), patterns not counted. */
    public int subscriberCount(Kind kind, byte[] name) {
        Set<ClientSession> s = map(kind).get(new ByteKey(name));
        return s == null ? 0 : s.size();
    }

    /** PUBSUB NUMPAT and INFO pubsub_patterns: distinct patterns with a subscriber. */
    public int patternCount() {
        return patterns.size();
    }

    /** INFO pubsubshard_channels: distinct shard channels with a subscriber. */
    public int shardChannelCount() {
        return shardChannels.size();
    }

    /** INFO pubsub_channels: distinct channels with a subscriber. */
    public int channelCount() {
        return channels.size();
    }

    /** The (un)subscribe confirmation: {@code [word, name or null, count]}, a push frame in RESP3. */
    static void confirm(Reply out, byte[] word, byte[] name, long count) {
        out.pushHeader(3);
        out.bulk(word);
        if (name == null) {
            out.nullBulk();
        } else {
            out.bulk(name);
        }
        out.integer(count);
    }

    /** One message's frame, built at most once per protocol however many subscribers get it. */
    private static final class Frames {
        private final byte[] word;
        private final byte[] pattern;
        private final byte[] channel;
        private final byte[] message;
        private byte[] resp2;
        private byte[] resp3;

        Frames(byte[] word, byte[] pattern, byte[] channel, byte[] message) {
            this.word = word;
            this.pattern = pattern;
            this.channel = channel;
            this.message = message;
        }

        byte[] forProtocol(int protocol) {
            if (protocol == 3) {
                if (resp3 == null) {
                    resp3 = build('>');
                }
                return resp3;
            }
            if (resp2 == null) {
                resp2 = build('*');
            }
            return resp2;
        }

        private byte[] build(char header) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(32 + channel.length + message.length
                    + (pattern == null ? 0 : pattern.length));
            int n = pattern == null ? 3 : 4;
            b.write(header);
            writeAscii(b, n + "\r\n");
            bulk(b, word);
            if (pattern != null) {
                bulk(b, pattern);
            }
            bulk(b, channel);
            bulk(b, message);
            return b.toByteArray();
        }
    }

    /** A complete push frame of bulk strings (MONITOR lines, invalidations use their own shapes). */
    static void bulk(ByteArrayOutputStream b, byte[] v) {
        writeAscii(b, "$" + v.length + "\r\n");
        b.writeBytes(v);
        writeAscii(b, "\r\n");
    }

    static void writeAscii(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
