package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import java.util.List;

/** Finds the keys of a command whose keys cannot be described by first/last/step (e.g. ZUNIONSTORE numkeys). */
@FunctionalInterface
public interface KeyExtractor {
    /** The key arguments; throws when argv is malformed enough that no keys can be found. */
    List<byte[]> keys(byte[][] argv) throws ErrorReply;
}
