package dev.basalt.testutil;

import dev.basalt.config.Config;
import dev.basalt.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A real Basalt server on an ephemeral port with a temporary data directory. */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final Path dir;
    private final boolean ownDir;

    private TestServer(Server server, Path dir, boolean ownDir) {
        this.server = server;
        this.dir = dir;
        this.ownDir = ownDir;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with the given directives over the defaults (port 0, a fresh temp dir unless "dir" is given). */
    public static TestServer start(Map<String, String> overrides) {
        try {
            boolean ownDir = !overrides.containsKey("dir");
            Path dir = ownDir ? Files.createTempDirectory("basalt-test") : Path.of(overrides.get("dir"));
            Config c = Config.defaults();
            c.put("port", "0");
            c.put("dir", dir.toString());
            c.put("rocksdb.block_cache_size", "16");
            c.put("rocksdb.write_buffer_size", "4");
            c.put("log-level", "warning");
            overrides.forEach(c::put);
            return new TestServer(Server.start(c), dir, ownDir);
        } catch (Exception e) {
            throw new RuntimeException("test server did not start", e);
        }
    }

    public Server server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Path dir() {
        return dir;
    }

    public RawClient raw() {
        return new RawClient(port());
    }

    /** Stops the server; keeps the data directory (for restart tests) unless it was made here. */
    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        server.stop();
        if (ownDir) {
            deleteTree(dir);
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
