package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.RedisNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finds the keys of a command whose keys cannot be described by first/last/step (e.g. ZUNIONSTORE numkeys). */
@FunctionalInterface
public interface KeyExtractor {
    /** The key arguments; throws when argv is malformed enough that no keys can be found. */
    List<byte[]> keys(byte[][] argv) throws ErrorReply;

    /**
     * Keys of a numkeys command: the destination argv[1] first when there is one, then the numkeys keys
     * after argv[numkeysIndex]. None at all when numkeys is not a positive count of the arguments that
     * follow, leaving at least argsAfterKeys of them (as COMMAND GETKEYS answers in Redis). Never throws:
     * the handler then reports the error before touching any key, as Redis does (so inside MULTI the
     * error comes at EXEC, not when queued).
     */
    static KeyExtractor numkeys(int numkeysIndex, boolean withDestination, int argsAfterKeys) {
        return argv -> {
            if (numkeysIndex >= argv.length || !RedisNumbers.isLong(argv[numkeysIndex])) {
                return List.of();
            }
            long n = RedisNumbers.parseLong(argv[numkeysIndex]);
            if (n < 1 || n > argv.length - numkeysIndex - 1 - argsAfterKeys) {
                return List.of();
            }
            List<byte[]> keys = new ArrayList<>();
            if (withDestination) {
                keys.add(argv[1]);
            }
            keys.addAll(Arrays.asList(argv).subList(numkeysIndex + 1, numkeysIndex + 1 + (int) n));
            return keys;
        };
    }
}
