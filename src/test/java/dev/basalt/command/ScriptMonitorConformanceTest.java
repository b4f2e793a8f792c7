package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.Conformance;
import dev.basalt.testutil.RawClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MONITOR shows the commands a script runs through redis.call / redis.pcall as Redis 7.0 does: after
 * the script command's own line, with {@code [0 lua]} for the client; calls refused before they run
 * (unknown, wrong arity, not allowed) are not shown. Compared line by line with a real redis-server,
 * timestamps and client ports left out.
 */
@Timeout(60)
class ScriptMonitorConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static final String[][] COMMANDS = {
        {"FUNCTION", "LOAD", "REPLACE", "#!lua name=monlib\nredis.register_function('monf', "
                + "function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)"},
        // no key declared: Basalt runs it again holding every key; its calls are still shown once
        {"EVAL", "redis.call('set','mon:a','1') return redis.call('get','mon:a')", "0"},
        // a declared key, then an undeclared one: the first call is not shown again when the script reruns
        {"EVAL", "redis.call('set', KEYS[1], '1') return redis.call('set', 'mon:u', '2')", "1", "mon:d"},
        {"EVAL", "redis.call('set', KEYS[1], 'x') redis.pcall('incr', KEYS[1]) redis.pcall('nosuch') "
                + "redis.pcall('get') return redis.call('set', KEYS[1], 'a\"\\n\\1')", "1", "mon:k"},
        {"EVAL_RO", "return redis.call('set', KEYS[1], '1')", "1", "mon:k"},
        {"EVAL", "return redis.call('ping')", "0"},
        {"FCALL", "monf", "1", "mon:f", "v"},
        {"MULTI"}, {"EVAL", "return redis.call('get', KEYS[1])", "1", "mon:a"}, {"SET", "mon:b", "2"}, {"EXEC"},
        {"PING", "end"}};

    @Test
    void scriptCallsFollowTheScriptCommandAsLuaClient() {
        assertEquals(monitored(servers::redis), monitored(servers::basalt));
    }

    private static List<String> monitored(Supplier<RawClient> connect) {
        List<String> lines = new ArrayList<>();
        try (RawClient m = connect.get(); RawClient c = connect.get()) {
            assertEquals("+OK\r\n", m.call("MONITOR"));
            for (String[] cmd : COMMANDS) {
                c.call(cmd);
            }
            while (true) {
                String line = m.readReply();
                // "+<seconds>.<micros> [0 127.0.0.1:<port>] ..." without the time and the port
                String rest = line.replaceFirst("^\\+\\d+\\.\\d{6} ", "").replaceFirst("^\\[0 127\\.0\\.0\\.1:\\d+\\]",
                        "[0 client]");
                lines.add(rest);
                if (rest.equals("[0 client] \"PING\" \"end\"\r\n")) {
                    return lines;
                }
            }
        }
    }
}
