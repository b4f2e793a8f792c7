package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of random stream commands (a fixed seed, so a failure reproduces) against a real
 * redis-server and Basalt, every reply compared byte for byte: entries added with explicit and partial
 * IDs (some too small, on purpose), trimmed, deleted, read by ranges and by
 * consumer groups, acknowledged, claimed, groups reset and destroyed. Times are masked as in
 * {@link StreamConformanceTest}; claims use no minimum idle time, so no reply depends on timing.
 * Trimming is exact: approximate trimming follows Redis's node boundaries only while entries are added
 * and trimmed from the head (StreamType's model), which StreamConformanceTest checks, not after the
 * random deletions here.
 */
@Timeout(120)
class StreamDifferentialTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final int COMMANDS = 6000;
    /**
     * Masked too: after XDEL and trimming in the middle of nodes, Redis's node boundaries are no longer
     * those of Basalt's model (see StreamType), so neither is the node count.
     */
    private static final Pattern RADIX_KEYS = Pattern.compile("(radix-tree-keys\r\n):\\d+");

    private final Random random = new Random(13);
    private final String[] keys = {"diff:a", "diff:b", "diff:c"};
    private final String[] groups = {"g1", "g2"};
    private final String[] consumers = {"alice", "bob", "carol"};
    /** Roughly the last ID used per key, so most new IDs are valid. */
    private final long[] lastMs = new long[keys.length];

    private String key() {
        return keys[random.nextInt(keys.length)];
    }

    private int keyIndex(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException(key);
    }

    private <T> T pick(T[] from) {
        return from[random.nextInt(from.length)];
    }

    /** An ID somewhere in the key's history (or a little past it). */
    private String someId(String key) {
        long max = Math.max(1, lastMs[keyIndex(key)] + 3);
        long ms = random.nextLong(max);
        return random.nextInt(4) == 0 ? Long.toString(ms) : ms + "-" + random.nextInt(3);
    }

    private String bound(String key, boolean start) {
        int r = random.nextInt(8);
        if (r == 0) {
            return start ? "-" : "+";
        }
        return (r == 1 ? "(" : "") + someId(key);
    }

    private String[] xadd() {
        String key = key();
        int k = keyIndex(key);
        List<String> cmd = new ArrayList<>(List.of("XADD", key));
        if (random.nextInt(10) == 0) {
            cmd.add("NOMKSTREAM");
        }
        int trim = random.nextInt(6);
        if (trim == 1 || trim == 2) {
            cmd.add(trim == 1 ? "MAXLEN" : "MINID");
            if (random.nextBoolean()) {
                cmd.add("=");
            }
            cmd.add(trim == 1 ? Integer.toString(random.nextInt(150)) : someId(key));
            if (random.nextInt(10) == 0) {
                cmd.add("LIMIT"); // an error without "~"
                cmd.add(Integer.toString(random.nextInt(300)));
            }
        }
        int idKind = random.nextInt(10);
        if (idKind == 0) {
            cmd.add(lastMs[k] + "-*");
        } else if (idKind == 1) {
            cmd.add(someId(key)); // mostly too small: an error
        } else {
            lastMs[k] += 1 + random.nextInt(3);
            cmd.add(idKind == 2 ? lastMs[k] + "-*" : lastMs[k] + "-" + random.nextInt(2));
        }
        int fields = 1 + random.nextInt(3);
        for (int i = 0; i < fields; i++) {
            cmd.add("f" + random.nextInt(4));
            cmd.add("v" + random.nextInt(100));
        }
        return cmd.toArray(new String[0]);
    }

    private String[] command() {
        String key = key();
        String group = pick(groups);
        String consumer = pick(consumers);
        List<Supplier<String[]>> kinds = List.of(
                this::xadd, this::xadd, this::xadd, this::xadd, this::xadd, this::xadd,
                () -> new String[] {"XLEN", key},
                () -> random.nextBoolean()
                        ? new String[] {"XRANGE", key, bound(key, true), bound(key, false), "COUNT", "" + random.nextInt(6)}
                        : new String[] {"XRANGE", key, bound(key, true), bound(key, false)},
                () -> new String[] {"XREVRANGE", key, bound(key, false), bound(key, true), "COUNT", "" + random.nextInt(6)},
                () -> new String[] {"XDEL", key, someId(key), someId(key)},
                () -> random.nextBoolean()
                        ? new String[] {"XTRIM", key, "MAXLEN", "=", "" + random.nextInt(120)}
                        : new String[] {"XTRIM", key, "MINID", someId(key)},
                () -> new String[] {"XGROUP", "CREATE", key, group, random.nextBoolean() ? "$" : someId(key), "MKSTREAM"},
                () -> new String[] {"XGROUP", "SETID", key, group, random.nextBoolean() ? "$" : someId(key)},
                () -> new String[] {"XGROUP", "CREATECONSUMER", key, group, consumer},
                () -> new String[] {"XGROUP", "DELCONSUMER", key, group, consumer},
                () -> random.nextInt(4) == 0 ? new String[] {"XGROUP", "DESTROY", key, group}
                        : new String[] {"XLEN", key},
                () -> new String[] {"XREADGROUP", "GROUP", group, consumer, "COUNT", "" + (1 + random.nextInt(5)),
                        "STREAMS", key, ">"},
                () -> new String[] {"XREADGROUP", "GROUP", group, consumer, "COUNT", "" + (1 + random.nextInt(5)),
                        "STREAMS", key, ">"},
                () -> new String[] {"XREADGROUP", "GROUP", group, consumer, "NOACK", "STREAMS", key, ">"},
                () -> new String[] {"XREADGROUP", "GROUP", group, consumer, "COUNT", "" + random.nextInt(4),
                        "STREAMS", key, someId(key)},
                () -> new String[] {"XACK", key, group, someId(key), someId(key), someId(key)},
                () -> new String[] {"XPENDING", key, group},
                () -> random.nextBoolean()
                        ? new String[] {"XPENDING", key, group, bound(key, true), bound(key, false), "" + random.nextInt(8)}
                        : new String[] {"XPENDING", key, group, "IDLE", "0", "-", "+", "10", consumer},
                () -> {
                    List<String> c = new ArrayList<>(List.of("XCLAIM", key, group, consumer, "0", someId(key),
                            someId(key)));
                    if (random.nextBoolean()) {
                        c.add("JUSTID");
                    }
                    if (random.nextInt(3) == 0) {
                        c.add("FORCE");
                    }
                    if (random.nextInt(3) == 0) {
                        c.add("RETRYCOUNT");
                        c.add("" + random.nextInt(5));
                    }
                    if (random.nextInt(4) == 0) {
                        c.add("LASTID");
                        c.add(someId(key));
                    }
                    return c.toArray(new String[0]);
                },
                () -> random.nextBoolean()
                        ? new String[] {"XAUTOCLAIM", key, group, consumer, "0", bound(key, true).replace("-", "0"),
                                "COUNT", "" + (1 + random.nextInt(4))}
                        : new String[] {"XAUTOCLAIM", key, group, consumer, "0", "0", "JUSTID"},
                () -> new String[] {"XINFO", "GROUPS", key},
                () -> new String[] {"XINFO", "CONSUMERS", key, group},
                () -> random.nextBoolean() ? new String[] {"XINFO", "STREAM", key}
                        : new String[] {"XINFO", "STREAM", key, "FULL", "COUNT", "" + random.nextInt(4)},
                () -> new String[] {"XREAD", "COUNT", "" + random.nextInt(4), "STREAMS", key, pick(keys), someId(key),
                        "0"},
                () -> random.nextInt(5) == 0 ? new String[] {"XSETID", key, someId(key)} : new String[] {"XLEN", key});
        return kinds.get(random.nextInt(kinds.size())).get();
    }

    @Test
    void randomCommandsAnswerAsRedisDoes() {
        List<String[]> script = new ArrayList<>();
        script.add(new String[] {"DEL", keys[0], keys[1], keys[2]});
        for (int i = 0; i < COMMANDS; i++) {
            script.add(command());
        }
        servers.compare(script, (cmd, reply) -> RADIX_KEYS.matcher(StreamConformanceTest.normalize(cmd, reply))
                .replaceAll("$1:N"));
    }
}
