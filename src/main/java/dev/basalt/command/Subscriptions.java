package dev.basalt.command;

import dev.basalt.util.ByteKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One client's pub/sub subscriptions. Changed only by the client's own thread; the counts are
 * volatile so that CLIENT LIST and INFO on other threads read them.
 */
public final class Subscriptions {
    private final Set<ByteKey> channels = new LinkedHashSet<>();
    private final Set<ByteKey> patterns = new LinkedHashSet<>();
    private final Set<ByteKey> shardChannels = new LinkedHashSet<>();
    private volatile int channelCount;
    private volatile int patternCount;
    private volatile int shardCount;

    private Set<ByteKey> set(PubSub.Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    boolean add(PubSub.Kind kind, byte[] name) {
        boolean added = set(kind).add(new ByteKey(name));
        recount();
        return added;
    }

    boolean remove(PubSub.Kind kind, byte[] name) {
        boolean removed = set(kind).remove(new ByteKey(name));
        recount();
        return removed;
    }

    private void recount() {
        channelCount = channels.size();
        patternCount = patterns.size();
        shardCount = shardChannels.size();
    }

    /** A copy of the names of one kind, in subscription order. */
    List<byte[]> names(PubSub.Kind kind) {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : set(kind)) {
            out.add(k.bytes());
        }
        return out;
    }

    public int channels() {
        return channelCount;
    }

    public int patterns() {
        return patternCount;
    }

    public int shardChannels() {
        return shardCount;
    }

    /** The count a (P)SUBSCRIBE / (P)UNSUBSCRIBE reply carries: channels and patterns together. */
    int classic() {
        return channelCount + patternCount;
    }

    public boolean any() {
        return channelCount + patternCount + shardCount > 0;
    }
}
