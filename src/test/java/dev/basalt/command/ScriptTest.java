package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.testutil.Await;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Basalt's own guarantees for scripts: one commit, nothing applied when it fails or the script is killed. */
@Timeout(120)
class ScriptTest {
    @Test
    void aFailedCommitAppliesNothingAndAnswersOneError() {
        try (TestServer server = TestServer.start(); RawClient c = server.raw(); RawClient admin = server.raw()) {
            String script = "redis.call('set', KEYS[1], 'changed') redis.call('set', KEYS[2], 'new') "
                    + "return redis.call('incr', 'counter')";
            assertEquals("+OK\r\n", c.call("SET", "a", "1"));
            // the script is cached (and stored) before writes start failing; the counter goes back below
            assertEquals(":1\r\n", c.call("EVAL", script, "2", "x", "y"));
            assertEquals(":1\r\n", c.call("DEL", "counter"));
            assertEquals("+OK\r\n", admin.call("DEBUG", "FAIL-WRITES", "on"));
            assertEquals("-ERR script aborted, no command applied: IO error: injected by DEBUG FAIL-WRITES\r\n",
                    c.call("EVAL", script, "2", "a", "b"));
            // a script never seen fails as it is stored, with the same single error and nothing applied
            assertEquals("-ERR IO error: injected by DEBUG FAIL-WRITES\r\n",
                    c.call("EVAL", "redis.call('set', KEYS[1], 'other') return 1", "1", "a"));
            // the connection is in step: the next reply is the next command's
            assertEquals("+PONG\r\n", c.call("PING"));
            assertEquals("+OK\r\n", admin.call("DEBUG", "FAIL-WRITES", "off"));
            assertEquals("$1\r\n1\r\n", c.call("GET", "a"));
            assertEquals("$-1\r\n", c.call("GET", "b"));
            assertEquals("$-1\r\n", c.call("GET", "counter"));
            assertEquals(":1\r\n", c.call("EVAL", "return redis.call('incr', 'counter')", "0"));
        }
    }

    @Test
    void aKilledScriptThatAlreadyWroteLeavesNothingApplied() throws Exception {
        try (TestServer server = TestServer.start(Map.of("lua-time-limit", "100")); RawClient c = server.raw();
                RawClient other = server.raw()) {
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> c.call("EVAL",
                    "redis.call('set', KEYS[1], 'written') while true do end", "1", "k"));
            Await.until("the script is busy", () -> other.call("SCRIPT", "KILL").equals("+OK\r\n"));
            assertTrue(reply.get().startsWith("-ERR Script killed by user with SCRIPT KILL..."), reply.get());
            assertEquals("$-1\r\n", other.call("GET", "k"));
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", other.call("SCRIPT", "KILL"));
        }
    }

    @Test
    void shutdownStopsABusyScriptAndAppliesNothingOfIt() throws Exception {
        Path dir = Files.createTempDirectory("basalt-shutdown-script");
        try {
            TestServer server = TestServer.start(Map.of("lua-time-limit", "100", "dir", dir.toString()));
            try (RawClient c = server.raw(); RawClient other = server.raw()) {
                Thread.ofVirtual().start(() -> {
                    try {
                        c.call("EVAL", "redis.call('set', KEYS[1], 'written') while true do end", "1", "k");
                    } catch (RuntimeException e) {
                        // the connection ends with the server
                    }
                });
                Await.until("the script is busy", () -> other.call("FUNCTION", "KILL").startsWith("-BUSY"));
                // Without the kill the stop waits out its 10 s for the connection, then for the script for ever.
                Thread stopping = Thread.ofPlatform().start(server::stop);
                assertTrue(stopping.join(Duration.ofSeconds(8)), "the server stopped");
            }
            try (TestServer again = TestServer.start(Map.of("dir", dir.toString())); RawClient r = again.raw()) {
                assertEquals("$-1\r\n", r.call("GET", "k"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void aBusyScriptAnswersBusyToClientsOfItsKeysOnly() throws Exception {
        try (TestServer server = TestServer.start(Map.of("lua-time-limit", "100")); RawClient c = server.raw();
                RawClient other = server.raw()) {
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> c.call("EVAL",
                    "while true do end", "1", "held"));
            // FUNCTION KILL answers NOTBUSY until the script passes lua-time-limit, then BUSY (it is an EVAL)
            Await.until("the script is busy", () -> other.call("FUNCTION", "KILL").startsWith("-BUSY"));
            assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
                    other.call("SET", "held", "x"));
            assertEquals("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n",
                    other.call("EVAL", "return redis.call('get', KEYS[1])", "1", "held"));
            assertEquals("+OK\r\n", other.call("SET", "free", "x"));
            // reads never wait: they read their snapshot
            assertEquals("$-1\r\n", other.call("GET", "held"));
            assertEquals("+OK\r\n", other.call("SCRIPT", "KILL"));
            assertTrue(reply.get().startsWith("-ERR Script killed"), reply.get());
            assertEquals("+OK\r\n", other.call("SET", "held", "x"));
        }
    }

    @Test
    void aScriptOnUndeclaredKeysIsStillIsolated() throws Exception {
        try (TestServer server = TestServer.start()) {
            int clients = 8;
            int rounds = 200;
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(() -> {
                    try (RawClient c = server.raw()) {
                        for (int r = 0; r < rounds; r++) {
                            if (n % 2 == 0) {
                                // read-modify-write of a key the script does not declare
                                c.call("EVAL", "local v = tonumber(redis.call('get', 'shared') or '0') "
                                        + "redis.call('set', 'shared', tostring(v + 1)) return v", "0");
                            } else {
                                c.call("INCR", "shared");
                            }
                        }
                    }
                }));
            }
            for (CompletableFuture<Void> f : all) {
                f.get();
            }
            try (RawClient c = server.raw()) {
                assertEquals("$" + Integer.toString(clients * rounds).length() + "\r\n" + clients * rounds + "\r\n",
                        c.call("GET", "shared"));
            }
        }
    }

    @Test
    void functionsAndScriptsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-functions-restart");
        try {
            String sha;
            try (TestServer first = TestServer.start(Map.of("dir", dir.toString())); RawClient c = first.raw()) {
                assertEquals("$3\r\nlib\r\n", c.call("FUNCTION", "LOAD",
                        "#!lua name=lib\nredis.register_function('hello', function() return 'hi' end)"));
                String loaded = c.call("SCRIPT", "LOAD", "return 'cached'");
                sha = loaded.substring(loaded.indexOf("\r\n") + 2, loaded.length() - 2);
            }
            try (TestServer second = TestServer.start(Map.of("dir", dir.toString())); RawClient c = second.raw()) {
                assertEquals("$2\r\nhi\r\n", c.call("FCALL", "hello", "0"));
                assertEquals("$6\r\ncached\r\n", c.call("EVALSHA", sha, "0"));
                assertEquals("+OK\r\n", c.call("FUNCTION", "DELETE", "lib"));
                assertEquals("+OK\r\n", c.call("SCRIPT", "FLUSH"));
            }
            try (TestServer third = TestServer.start(Map.of("dir", dir.toString())); RawClient c = third.raw()) {
                assertEquals("-ERR Function not found\r\n", c.call("FCALL", "hello", "0"));
                assertEquals("-NOSCRIPT No matching script. Please use EVAL.\r\n", c.call("EVALSHA", sha, "0"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }

    @Test
    void monitorShowsTheScriptThenItsCallsFromLua() {
        try (TestServer server = TestServer.start(); RawClient m = server.raw(); RawClient c = server.raw()) {
            assertEquals("+OK\r\n", m.call("MONITOR"));
            Await.until("listed as a monitor", () -> c.call("CLIENT", "LIST").contains("flags=O"));
            c.call("EVAL", "redis.call('set', KEYS[1], 'v') return redis.call('get', KEYS[1])", "1", "mk");
            assertTrue(m.readReply().endsWith("] \"EVAL\" \"redis.call('set', KEYS[1], 'v') return redis.call('get', "
                    + "KEYS[1])\" \"1\" \"mk\"\r\n"));
            assertTrue(m.readReply().matches("\\+\\d+\\.\\d{6} \\[0 lua\\] \"set\" \"mk\" \"v\"\r\n"));
            assertTrue(m.readReply().matches("\\+\\d+\\.\\d{6} \\[0 lua\\] \"get\" \"mk\"\r\n"));
        }
    }

    @Test
    void commandInfoFlagsAreRedis() {
        try (TestServer server = TestServer.start(); RawClient c = server.raw()) {
            String info = c.call("COMMAND", "INFO", "eval");
            assertTrue(info.startsWith("*1\r\n*10\r\n$4\r\neval\r\n:-3\r\n*5\r\n+noscript\r\n+stale\r\n+skip_monitor\r\n"
                    + "+no_mandatory_keys\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@scripting\r\n"), info);
        }
    }

    @Test
    void infoCountsScripts() {
        try (TestServer server = TestServer.start(); RawClient c = server.raw()) {
            c.call("SCRIPT", "LOAD", "return 1");
            c.call("SCRIPT", "LOAD", "return 2");
            String info = c.call("INFO", "memory");
            assertTrue(info.contains("number_of_cached_scripts:2\r\n"), info);
            assertTrue(info.contains("used_memory_lua:"), info);
        }
    }
}
