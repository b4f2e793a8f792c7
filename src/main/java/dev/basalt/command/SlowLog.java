package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.protocol.Reply;
import dev.basalt.util.Bytes;
import dev.basalt.util.RecentEntries;
import java.util.ArrayList;
import java.util.List;

/**
 * SLOWLOG's entries: commands that ran at least {@code slowlog-log-slower-than} microseconds (-1: none,
 * 0: every command), the newest {@code slowlog-max-len} kept. Arguments are cut as Redis cuts them (32
 * arguments, 128 bytes each) and secrets are redacted (see {@link CommandLog}).
 */
public final class SlowLog {
    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_BYTES = 128;

    record Entry(long id, long unixSeconds, long micros, List<byte[]> args, String addr, String name) {
    }

    private final Config.LiveNumber slowerThan;
    private final Config.LiveNumber maxLen;
    private final RecentEntries<Entry> entries = new RecentEntries<>();

    public SlowLog(Config config) {
        this.slowerThan = config.live("slowlog-log-slower-than");
        this.maxLen = config.live("slowlog-max-len");
    }

    /** Logs the command if it was slow enough; cheap (two volatile reads) when it was not. */
    public void record(ClientSession client, byte[][] argv, long micros) {
        long threshold = slowerThan.get();
        if (threshold < 0 || micros < threshold) {
            return;
        }
        long max = maxLen.get();
        List<byte[]> args = shown(argv);
        long seconds = System.currentTimeMillis() / 1000;
        entries.add(id -> new Entry(id, seconds, micros, args, client.addr(), client.name()), max);
    }

    private static List<byte[]> shown(byte[][] argv) {
        byte[][] redacted = CommandLog.redacted(argv);
        int n = Math.min(redacted.length, MAX_ARGS);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i == MAX_ARGS - 1 && redacted.length > MAX_ARGS) {
                out.add(Bytes.of("... (" + (redacted.length - MAX_ARGS + 1) + " more arguments)"));
                break;
            }
            byte[] a = redacted[i];
            if (a.length > MAX_ARG_BYTES) {
                byte[] cut = new byte[MAX_ARG_BYTES];
                System.arraycopy(a, 0, cut, 0, MAX_ARG_BYTES);
                byte[] more = Bytes.of("... (" + (a.length - MAX_ARG_BYTES) + " more bytes)");
                byte[] joined = new byte[cut.length + more.length];
                System.arraycopy(cut, 0, joined, 0, cut.length);
                System.arraycopy(more, 0, joined, cut.length, more.length);
                a = joined;
            }
            out.add(a);
        }
        return out;
    }

    void write(Reply out, long count) {
        List<Entry> shown = entries.newest(count);
        out.arrayHeader(shown.size());
        for (Entry e : shown) {
            out.arrayHeader(6);
            out.integer(e.id());
            out.integer(e.unixSeconds());
            out.integer(e.micros());
            out.bulkArray(e.args());
            out.bulk(e.addr());
            out.bulk(e.name());
        }
    }

    int size() {
        return entries.size();
    }

    void reset() {
        entries.clear();
    }
}
