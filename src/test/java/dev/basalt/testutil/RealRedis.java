package dev.basalt.testutil;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server 7.0.x (Debian's package) on a free port, for conformance tests that compare
 * Basalt's replies with Redis's. Where none can be had (redis-server absent, or another version) the
 * calling test cannot compare: under CI ({@code CI=true}) that fails the build, elsewhere it is skipped
 * with the reason, so a green CI run has made every comparison.
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
            cannotCompare("redis-server not installed (apt-get install redis-server)", underCi());
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
            String version = r.version();
            if (!comparable(version)) {
                r.close();
                cannotCompare(binary + " is Redis " + version + "; Basalt's replies are those of Redis 7.0.x", underCi());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /** True when the build runs under CI, which sets CI=true (GitHub Actions, GitLab, .ci/run). */
    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Basalt's replies are Redis 7.0's: only a 7.0.x server is a fair comparison. */
    static boolean comparable(String version) {
        return version != null && version.startsWith("7.0.");
    }

    /** A test that cannot compare fails under CI and is skipped, with the reason, elsewhere. */
    static void cannotCompare(String reason, boolean ci) {
        if (ci) {
            throw new AssertionError(reason + " (CI=true: conformance tests may not be skipped)");
        }
        Assumptions.abort(reason);
    }

    /** redis_version from INFO server. */
    private String version() {
        try (RawClient c = client()) {
            for (String line : c.call("INFO", "server").split("\r\n")) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length());
                }
            }
        }
        return null;
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
