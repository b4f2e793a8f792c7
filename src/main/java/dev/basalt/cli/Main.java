package dev.basalt.cli;

import dev.basalt.config.Config;
import dev.basalt.server.Server;

public final class Main {
    public static void main(String[] args) throws Exception {
        Config c = Config.defaults();
        for (int i = 0; i + 1 < args.length; i += 2) {
            c.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Server s = Server.start(c);
        s.onStopped(() -> System.exit(0));
        s.awaitStopped();
    }
}
