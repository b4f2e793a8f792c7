package dev.basalt.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DBSIZE answers from counts kept at commit time, never walking the keyspace; they must match what
 * redis-server counts after any mix of writes that create, overwrite, rename, empty and delete keys,
 * inside MULTI/EXEC too, and must survive a restart.
 */
@Timeout(120)
class KeyCountConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    @Test
    void dbsizeMatchesRedisAfterEveryWrite() {
        Random rnd = new Random(20261202);
        List<String[]> script = new ArrayList<>();
        script.add(new String[] {"FLUSHALL"});
        for (int i = 0; i < 1500; i++) {
            String k = "k" + rnd.nextInt(40);
            String other = "k" + rnd.nextInt(40);
            String[] cmd = switch (rnd.nextInt(16)) {
                case 0 -> new String[] {"SET", k, "v"};
                case 1 -> new String[] {"DEL", k, other};
                case 2 -> new String[] {"RPUSH", k, "a", "b"};
                case 3 -> new String[] {"LPOP", k};
                case 4 -> new String[] {"HSET", k, "f" + rnd.nextInt(3), "v"};
                case 5 -> new String[] {"HDEL", k, "f" + rnd.nextInt(3)};
                case 6 -> new String[] {"SADD", k, "m" + rnd.nextInt(3)};
                case 7 -> new String[] {"SPOP", k};
                case 8 -> new String[] {"ZADD", k, "1", "m"};
                case 9 -> new String[] {"ZREM", k, "m"};
                case 10 -> new String[] {"RENAME", k, other};
                case 11 -> new String[] {"COPY", k, other, "REPLACE"};
                case 12 -> new String[] {"GETDEL", k};
                case 13 -> new String[] {"MSETNX", k, "1", other, "2"};
                case 14 -> new String[] {"SMOVE", k, other, "m1"};
                default -> new String[] {"LMOVE", k, other, "LEFT", "RIGHT"};
            };
            if (rnd.nextInt(10) == 0) {
                script.add(new String[] {"MULTI"});
                script.add(cmd);
                script.add(new String[] {"DBSIZE"});
                script.add(new String[] {"SET", "k" + rnd.nextInt(40), "t"});
                script.add(new String[] {"EXEC"});
            } else {
                script.add(cmd);
            }
            script.add(new String[] {"DBSIZE"});
        }
        // SPOP picks members at random: compare only what does not depend on the pick.
        servers.compare(script, (command, reply) -> command[0].equals("SPOP") && !reply.startsWith("-") ? "(popped)" : reply);
    }

    @Test
    void countsSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("basalt-keycount");
        try {
            try (TestServer s = TestServer.start(Map.of("dir", dir.toString())); RawClient c = s.raw()) {
                c.call("MSET", "a", "1", "b", "2", "c", "3");
                c.call("HSET", "h", "f", "v");
                c.call("DEL", "b");
                assertEquals(":3\r\n", c.call("DBSIZE"));
                s.stop();
            }
            try (TestServer s = TestServer.start(Map.of("dir", dir.toString())); RawClient c = s.raw()) {
                assertEquals(":3\r\n", c.call("DBSIZE"));
                c.call("SET", "d", "4");
                assertEquals(":4\r\n", c.call("DBSIZE"));
                c.call("FLUSHALL");
                assertEquals(":0\r\n", c.call("DBSIZE"));
            }
        } finally {
            TestServer.deleteTree(dir);
        }
    }
}
