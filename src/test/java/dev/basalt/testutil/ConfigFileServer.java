package dev.basalt.testutil;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigFile;
import dev.basalt.server.Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Basalt server started from a configuration file, the way {@code basalt -c FILE} starts it,
 * so that CONFIG REWRITE has a file to write. The file should set {@code port 0} and a temporary
 * {@code dir}; overrides act like command-line options.
 */
public final class ConfigFileServer implements AutoCloseable {
    private final Server server;
    private final List<String> warnings;

    private ConfigFileServer(Server server, List<String> warnings) {
        this.server = server;
        this.warnings = warnings;
    }

    public static ConfigFileServer start(Path file) {
        return start(file, Map.of());
    }

    public static ConfigFileServer start(Path file, Map<String, String> overrides) {
        try {
            List<ConfigFile.Override> os = new ArrayList<>();
            overrides.forEach((k, v) -> os.add(new ConfigFile.Override(k, v)));
            List<String> warnings = new ArrayList<>();
            Config c = ConfigFile.load(file, os, warnings::add);
            return new ConfigFileServer(Server.start(c), warnings);
        } catch (Exception e) {
            throw new RuntimeException("server did not start from " + file, e);
        }
    }

    public Server server() {
        return server;
    }

    public Config config() {
        return server.config();
    }

    /** The warnings loading the file gave (unknown directives...). */
    public List<String> warnings() {
        return warnings;
    }

    public int port() {
        return server.port();
    }

    public RawClient raw() {
        return new RawClient(port());
    }

    @Override
    public void close() {
        server.stop();
    }
}
