package dev.basalt.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MONITOR: every command any client runs is pushed to each monitoring client as Redis's line
 * ({@code +1339518083.107412 [0 127.0.0.1:60866] "set" "k" "v"}), secrets redacted. With no monitor
 * connected, feeding costs one emptiness check.
 */
public final class Monitors {
    private final Set<ClientSession> monitors = ConcurrentHashMap.newKeySet();

    void add(ClientSession c) {
        monitors.add(c);
        c.setMonitor(true);
    }

    /** The client stops monitoring (RESET, disconnect). */
    public void remove(ClientSession c) {
        if (monitors.remove(c)) {
            c.setMonitor(false);
        }
    }

    public boolean any() {
        return !monitors.isEmpty();
    }

    /** Pushes one command to every monitor. */
    public void feed(ClientSession client, byte[][] argv) {
        if (monitors.isEmpty()) {
            return;
        }
        byte[] line = line(System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000, client.addr(),
                CommandLog.redacted(argv));
        for (ClientSession m : monitors) {
            m.channel().push(line);
        }
    }

    /** A command a script ran through redis.call, as Redis shows it: {@code [0 lua]} for its client. */
    byte[] scriptCallLine(byte[][] argv) {
        return line(System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000, "lua",
                CommandLog.redacted(argv));
    }

    /** Pushes a line made earlier (a script's calls, shown once the script is known not to run again). */
    void push(byte[] line) {
        for (ClientSession m : monitors) {
            m.channel().push(line);
        }
    }

    static byte[] line(long unixMicros, String addr, byte[][] argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        String head = "+" + unixMicros / 1_000_000 + "." + String.format("%06d", unixMicros % 1_000_000)
                + " [0 " + addr + "]";
        b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.write(' ');
            quote(b, a);
        }
        b.write('\r');
        b.write('\n');
        return b.toByteArray();
    }

    /** Redis's sdscatrepr: a double-quoted string with C escapes and \xHH for other unprintable bytes. */
    static void quote(ByteArrayOutputStream b, byte[] s) {
        b.write('"');
        for (byte x : s) {
            int c = x & 0xff;
            switch (c) {
                case '\\' -> b.writeBytes(new byte[] {'\\', '\\'});
                case '"' -> b.writeBytes(new byte[] {'\\', '"'});
                case '\n' -> b.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> b.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> b.writeBytes(new byte[] {'\\', 't'});
                case 7 -> b.writeBytes(new byte[] {'\\', 'a'});
                case '\b' -> b.writeBytes(new byte[] {'\\', 'b'});
                default -> {
                    if (c >= 32 && c < 127) {
                        b.write(c);
                    } else {
                        b.writeBytes(String.format("\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
        }
        b.write('"');
    }
}
