package dev.basalt.command;

import dev.basalt.util.Bytes;
import java.util.Locale;

/** What SLOWLOG and MONITOR may show of a command: passwords and tokens are replaced, as Redis does. */
final class CommandLog {
    private static final byte[] REDACTED = Bytes.of("(redacted)");

    private CommandLog() {
    }

    /** argv with secrets replaced by "(redacted)": AUTH's arguments, HELLO's AUTH pair, CONFIG SET of passwords. */
    static byte[][] redacted(byte[][] argv) {
        if (argv.length < 2) {
            return argv;
        }
        String name = Bytes.str(argv[0]).toLowerCase(Locale.ROOT);
        switch (name) {
            case "auth" -> {
                byte[][] out = argv.clone();
                for (int i = 1; i < out.length; i++) {
                    out[i] = REDACTED;
                }
                return out;
            }
            case "hello" -> {
                byte[][] out = argv.clone();
                for (int i = 1; i < out.length; i++) {
                    if (Bytes.eq(out[i], "auth") && i + 2 < out.length) {
                        out[i + 1] = REDACTED;
                        out[i + 2] = REDACTED;
                        i += 2;
                    }
                }
                return out;
            }
            case "config" -> {
                if (!Bytes.eq(argv[1], "set")) {
                    return argv;
                }
                byte[][] out = argv.clone();
                for (int i = 2; i + 1 < out.length; i += 2) {
                    String directive = Bytes.str(out[i]).toLowerCase(Locale.ROOT);
                    if (directive.equals("requirepass") || directive.equals("masterauth")
                            || directive.startsWith("namespace.")) {
                        out[i + 1] = REDACTED;
                    }
                }
                return out;
            }
            default -> {
                return argv;
            }
        }
    }
}
