package dev.basalt.testutil;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server (Debian's package) on a free port, for conformance tests that compare Basalt's
 * replies with Redis's. Aborts the calling test with a visible reason where redis-server is absent.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts redis-server with persistence off and the given extra arguments (e.g. "--proto-max-bulk-len", "1048576"). */
    public static RealRedis start(String... extraArgs) {
        String binary = binary();
        if (binary == null) {
            Assumptions.abort("redis-server not installed");
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--save", "",
                    "--appendonly", "no", "--bind", "127.0.0.1"));
            cmd.addAll(List.of(extraArgs));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            RealRedis r = new RealRedis(p, port);
            r.awaitPing();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private void awaitPing() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (RawClient c = new RawClient(port)) {
                if (c.call("PING").equals("+PONG\r\n")) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("redis-server did not start on port " + port, e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    public RawClient client() {
        return new RawClient(port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
