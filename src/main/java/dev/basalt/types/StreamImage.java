package dev.basalt.types;

import java.util.List;

/**
 * A whole stream as a dump carries it (Redis's DUMP and RDB files): its live entries in ID order, the
 * IDs and counter Redis keeps beside them, and its consumer groups with their consumers and pending
 * entries. {@link StreamGroups#image} reads one, {@link StreamGroups#restore} writes one.
 */
public record StreamImage(List<Entry> entries, StreamId lastGeneratedId, StreamId maxDeletedEntryId, long entriesAdded,
        List<Group> groups) {

    /** An entry: its ID and its fields and values, alternating. */
    public record Entry(StreamId id, List<byte[]> fieldsAndValues) {
    }

    /** A consumer group; entriesRead is {@link StreamGroups#UNKNOWN} when Redis does not know it. */
    public record Group(byte[] name, StreamId lastDeliveredId, long entriesRead, List<Pending> pending,
            List<Consumer> consumers) {
    }

    /** A pending entry of a group: the consumer it was delivered to, when and how often. */
    public record Pending(StreamId id, byte[] consumer, long deliveryTime, long deliveryCount) {
    }

    /** A consumer and when it was last seen (Unix ms). */
    public record Consumer(byte[] name, long seenTime) {
    }
}
