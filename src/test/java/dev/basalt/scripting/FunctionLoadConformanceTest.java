package dev.basalt.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.testutil.RawClient;
import dev.basalt.testutil.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FUNCTION LOAD's checks (metadata, registration, load-time sandbox) give redis-server's replies. */
@Timeout(60)
class FunctionLoadConformanceTest {
    private static String load(Scripting scripting, String code) {
        try {
            FunctionRegistry.Library lib = scripting.prepareLibrary(code.getBytes(StandardCharsets.UTF_8), false);
            scripting.functions().put(lib);
            return "$" + lib.name().length() + "\r\n" + lib.name() + "\r\n";
        } catch (LibraryException e) {
            return "-" + e.getMessage() + "\r\n";
        }
    }

    @Test
    void loadRepliesMatchRedis() {
        List<String> libraries = List.of(
                "#!lua name=ok1\nredis.register_function('f1', function() return 1 end)",
                "#!lua name=ok1\nredis.register_function('f9', function() return 1 end)",
                "#!lua name=ok2\nredis.register_function('f1', function() return 1 end)",
                "#!lua name=ok3\nlocal function helper(k) return k end\n"
                        + "redis.register_function{function_name='f3', callback=function(k) return helper(k) end, "
                        + "flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}, "
                        + "description='all flags'}",
                "#!lua name=e1\nredis.call('set', 'x', '1')",
                "#!lua name=e2\nx = 1",
                "#!lua name=e3\nreturn y",
                "#!lua name=e4\nredis.register_function('f5', 1)",
                "#!lua name=e5\nredis.register_function(1, function() end)",
                "#!lua name=e6\nredis.register_function('f6')",
                "#!lua name=e7\nredis.register_function{function_name='f7', callback=function() end, flags={'bogus'}}",
                "#!lua name=e8\nredis.register_function{function_name='f8', callback=function() end, bogus=1}",
                "#!lua name=e9\nredis.register_function{callback=function() end}",
                "#!lua name=e10\nredis.register_function{function_name='f10'}",
                "#!lua name=e11\nredis.register_function{function_name=1, callback=function() end}",
                "#!lua name=e12\nredis.register_function{function_name='f12', callback=1}",
                "#!lua name=e13\nredis.register_function{function_name='f13', callback=function() end, description=1}",
                "#!lua name=e14\nredis.register_function{function_name='f14', callback=function() end, flags='x'}",
                "#!lua name=e15\nredis.register_function('bad-name', function() end)",
                "#!lua name=e16\nredis.register_function('', function() end)",
                "#!lua name=e17\nredis.register_function('dup', function() end)\n"
                        + "redis.register_function('dup', function() end)",
                "#!lua name=e18\n",
                "#!lua name=e19\nlocal t = {} t.x = 1 redis.log(redis.LOG_WARNING, 'loading')",
                "#!lua name=e20\nreturn tostring(1)",
                "#!lua name=e21\nredis.register_function('f21', function() end) error('late')",
                "#!lua name=e22\nredis.register_function('f22', function() end) redis.register_function = nil",
                "#!lua name=e23\nlocal v = redis.setresp",
                "#!lua name=e24 x\nredis.register_function('f24', function() end)",
                "#!lua name=bad-lib\nredis.register_function('f25', function() end)",
                "#!lua name=\nredis.register_function('f26', function() end)",
                "#!lua\nredis.register_function('f27', function() end)",
                "#!luax name=e28\nredis.register_function('f28', function() end)",
                "redis.register_function('f29', function() end)",
                "#!lua name=e30\nredis.register_function('f30', function() end",
                "#!lua name=e31\nfor i = 1, 3 do redis.register_function('g' .. i, function() return i end) end");
        try (RealRedis redis = RealRedis.start(); RawClient c = redis.client(); Scripting scripting = new Scripting(1)) {
            StringBuilder differences = new StringBuilder();
            for (String code : libraries) {
                String expected = c.call("FUNCTION", "LOAD", code);
                String actual = load(scripting, code);
                if (!expected.equals(actual)) {
                    differences.append(code).append("\n  redis:  ").append(expected).append("  basalt: ").append(actual);
                }
            }
            assertEquals("", differences.toString());
        }
    }
}
