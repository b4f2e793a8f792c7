package dev.basalt.command;

import dev.basalt.testutil.Conformance;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EVAL, EVALSHA, SCRIPT, FUNCTION and FCALL against a real redis-server, byte for byte: replies,
 * conversions through real commands, error texts, scripts in MULTI, and scripts from real libraries
 * (a Redisson-style lock, a token bucket, a BullMQ-style job move) run unchanged.
 */
@Timeout(120)
class ScriptConformanceTest {
    @RegisterExtension
    static final Conformance servers = new Conformance();

    private static String[] c(String... args) {
        return args;
    }

    @Test
    void evalAndScriptCache() {
        servers.compare(List.of(
                c("EVAL", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", "1", "k", "a", "b"),
                c("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "s:1", "v"),
                c("EVAL", "return redis.call('get', KEYS[1])", "1", "s:1"),
                c("EVAL", "return redis.call('incr', KEYS[1])", "1", "s:1"),
                c("EVAL", "return redis.pcall('incr', KEYS[1])", "1", "s:1"),
                c("EVAL", "return 1", "-1"), c("EVAL", "return 1", "2", "a"), c("EVAL", "return 1", "x"),
                c("EVAL", "return 1"), c("EVAL", "return +", "0"),
                c("SCRIPT", "LOAD", "return 'loaded'"),
                c("EVALSHA", "f3a2d3b3e4a05e3a2c3a9d0f8b0b4e7f8d5b2a11", "0"),
                c("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"), c("EVALSHA", "short", "0"),
                c("EVALSHA", "5d6a8e8e7a0e9f5a7c6f0c0b84d2b5f7c2b1c0a5", "0"),
                c("SCRIPT", "EXISTS", "ffffffffffffffffffffffffffffffffffffffff"),
                c("SCRIPT", "LOAD", "return 1 +"), c("SCRIPT", "LOAD"), c("SCRIPT", "EXISTS"),
                c("SCRIPT", "FLUSH", "bogus"), c("SCRIPT", "KILL"), c("SCRIPT", "BOGUS"),
                c("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "s:1"),
                c("EVAL_RO", "return redis.call('set', KEYS[1], 'x')", "1", "s:1"),
                c("EVAL_RO", "#!lua\nreturn 1", "0"), c("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"),
                c("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'x')", "1", "s:1"),
                c("EVAL", "return redis.call('nosuch')", "0"), c("EVAL", "return redis.call('get')", "0"),
                c("EVAL", "return redis.call('blpop', 'l', 1)", "0"),
                c("EVAL", "return redis.call('xread', 'block', '10', 'streams', 'st', '0')", "0"),
                c("EVAL", "return redis.call('xread', 'streams', 'st', '0')", "0"),
                c("EVAL", "return redis.call('multi')", "0"), c("EVAL", "return redis.call('eval', 'return 1', '0')", "0"),
                c("EVAL", "return redis.call('script', 'load', 'return 1')", "0"),
                c("EVAL", "return redis.call('function', 'list')", "0"),
                c("EVAL", "return redis.call('subscribe', 'x')", "0"),
                c("EVAL", "return redis.call('config', 'bogus')", "0"),
                c("EVAL", "redis.call('del', KEYS[1]) redis.call('rpush', KEYS[1], 'a', 'b') "
                        + "return redis.call('lrange', KEYS[1], 0, -1)", "1", "l:1"),
                c("EVAL", "redis.call('del', KEYS[1]) redis.call('hset', KEYS[1], 'f', 'v') "
                        + "return redis.call('hgetall', KEYS[1])", "1", "h:1"),
                c("HELLO", "3"),
                c("EVAL", "return redis.call('hgetall', KEYS[1])", "1", "h:1"),
                c("EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "h:1"),
                c("EVAL", "redis.setresp(3) return redis.call('get', 'nokey')", "0"),
                c("EVAL", "return true", "0"), c("EVAL", "redis.setresp(3) return {double = 1.5}", "0"),
                c("HELLO", "2"),
                c("EVAL", "redis.call('set', KEYS[1], 'before') redis.call('incr', 'undeclared') error('late')", "1",
                        "s:2"),
                c("GET", "s:2"),
                c("EVAL", "redis.call('set', KEYS[1], 'ok') return redis.pcall('lpush', KEYS[1], 'x')", "1", "s:3"),
                c("GET", "s:3"),
                c("SCRIPT", "FLUSH"), c("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"),
                c("SCRIPT", "FLUSH", "ASYNC")));
    }

    @Test
    void commandGetKeys() {
        // COMMAND INFO of the script commands differs in its key specs (Basalt gives none for numkeys commands)
        servers.compare(List.of(c("COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c"),
                c("COMMAND", "GETKEYS", "FCALL", "f", "1", "a", "b")));
    }

    @Test
    void scriptsInsideMulti() {
        servers.compare(List.of(
                c("MULTI"), c("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "m:1", "v"),
                c("EVAL", "return redis.call('get', KEYS[1])", "1", "m:1"),
                c("EVAL", "return redis.call('incr', KEYS[1])", "1", "m:1"), c("GET", "m:1"), c("EXEC"),
                c("MULTI"), c("EVAL", "return 1"), c("EXEC"),
                c("MULTI"), c("SCRIPT", "LOAD", "return 7"), c("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"),
                c("EXEC")));
    }

    @Test
    void functions() {
        servers.compare(List.of(
                c("FUNCTION", "FLUSH"),
                c("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('setit', function(keys, args) "
                        + "return redis.call('set', keys[1], args[1]) end)"),
                c("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function{function_name='getit', "
                        + "callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, "
                        + "description='reads'}"),
                c("FCALL", "setit", "1", "f:1", "v1"), c("FCALL", "getit", "1", "f:1"), c("FCALL_RO", "getit", "1", "f:1"),
                c("FCALL_RO", "setit", "1", "f:1", "v"), c("FCALL", "nosuch", "0"), c("FCALL", "setit", "-1"),
                c("FCALL", "setit", "5", "a"),
                c("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('x', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('setit', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nredis.call('set', 'a', 'b')"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nx = 1"), c("FUNCTION", "LOAD", "#!lua name=lib3\n"),
                c("FUNCTION", "LOAD", "redis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua\nredis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=lib3 foo=bar\nredis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function{function_name='f', callback=function() "
                        + "end, flags={'bogus'}}"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f', 1)"),
                c("FUNCTION", "LOAD", "#!lua name=lib3\nreturn tostring(1)"),
                c("FUNCTION", "LIST", "LIBRARYNAME", "lib1"), c("FUNCTION", "LIST", "LIBRARYNAME", "lib2", "WITHCODE"),
                c("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"), c("FUNCTION", "LIST", "bogus"),
                c("FUNCTION", "LIST", "LIBRARYNAME"),
                c("FUNCTION", "LOAD", "REPLACE", "#!lua name=lib1\nredis.register_function('setit2', function(keys, args) "
                        + "return 2 end)"),
                c("FCALL", "setit", "1", "f:1", "v"), c("FCALL", "setit2", "0"),
                c("FUNCTION", "DELETE", "lib1"), c("FUNCTION", "DELETE", "lib1"), c("FCALL", "setit2", "0"),
                c("FUNCTION", "STATS"), c("FUNCTION", "KILL"), c("FUNCTION", "FLUSH", "bogus"),
                c("FUNCTION", "RESTORE", "bogus"), c("FUNCTION", "RESTORE", "x", "bogus"),
                c("FUNCTION", "FLUSH"), c("FUNCTION", "LIST"), c("FUNCTION", "HELP")));
    }

    /** Redisson's RLock tryLock / unlock scripts, as the library sends them (channel publish left out). */
    private static final String REDISSON_LOCK = "if (redis.call('exists', KEYS[1]) == 0) then "
            + "redis.call('hincrby', KEYS[1], ARGV[2], 1); redis.call('pexpire', KEYS[1], ARGV[1]); return nil; end; "
            + "if (redis.call('hexists', KEYS[1], ARGV[2]) == 1) then "
            + "redis.call('hincrby', KEYS[1], ARGV[2], 1); redis.call('pexpire', KEYS[1], ARGV[1]); return nil; end; "
            + "return redis.call('pttl', KEYS[1]) > 0 and 1 or 0;";
    private static final String REDISSON_UNLOCK = "if (redis.call('hexists', KEYS[1], ARGV[3]) == 0) then return nil;end; "
            + "local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1); "
            + "if (counter > 0) then redis.call('pexpire', KEYS[1], ARGV[2]); return 0; "
            + "else redis.call('del', KEYS[1]); return 1; end; return nil;";

    /** A token bucket as rate limiters write it: capacity, refill per second, now (ms) and cost as arguments. */
    private static final String TOKEN_BUCKET = "local capacity = tonumber(ARGV[1]) local rate = tonumber(ARGV[2]) "
            + "local now = tonumber(ARGV[3]) local cost = tonumber(ARGV[4]) "
            + "local state = redis.call('hmget', KEYS[1], 'tokens', 'ts') "
            + "local tokens = tonumber(state[1]) or capacity local ts = tonumber(state[2]) or now "
            + "tokens = math.min(capacity, tokens + (now - ts) / 1000 * rate) "
            + "local allowed = tokens >= cost if allowed then tokens = tokens - cost end "
            + "redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now)) "
            + "redis.call('pexpire', KEYS[1], math.ceil(capacity / rate * 1000)) "
            + "return {allowed and 1 or 0, tostring(tokens)}";

    /** BullMQ's moveToActive in miniature: the next waiting job moves to active, gets a lock and a timestamp. */
    private static final String JOB_MOVE = "local jobId = redis.call('rpoplpush', KEYS[1], KEYS[2]) "
            + "if not jobId then return nil end "
            + "local jobKey = ARGV[1] .. jobId "
            + "redis.call('set', jobKey .. ':lock', ARGV[2], 'PX', ARGV[3]) "
            + "redis.call('hset', jobKey, 'processedOn', ARGV[4]) "
            + "redis.call('xadd', KEYS[3], 'MAXLEN', '~', '10000', '*', 'event', 'active', 'jobId', jobId, 'prev', 'waiting') "
            + "return {jobId, redis.call('hgetall', jobKey)}";

    @Test
    void scriptsFromRealLibraries() {
        servers.compare(List.of(
                c("EVAL", REDISSON_LOCK, "1", "lock:a", "30000", "client1:1"),
                c("EVAL", REDISSON_LOCK, "1", "lock:a", "30000", "client1:1"),
                c("EVAL", REDISSON_LOCK, "1", "lock:a", "30000", "client2:1"),
                c("HGETALL", "lock:a"),
                c("EVAL", REDISSON_UNLOCK, "2", "lock:a", "chan", "0", "30000", "client2:1"),
                c("EVAL", REDISSON_UNLOCK, "2", "lock:a", "chan", "0", "30000", "client1:1"),
                c("EVAL", REDISSON_UNLOCK, "2", "lock:a", "chan", "0", "30000", "client1:1"),
                c("EXISTS", "lock:a"),
                c("EVAL", TOKEN_BUCKET, "1", "bucket:a", "10", "5", "1000000", "4"),
                c("EVAL", TOKEN_BUCKET, "1", "bucket:a", "10", "5", "1000100", "4"),
                c("EVAL", TOKEN_BUCKET, "1", "bucket:a", "10", "5", "1000200", "4"),
                c("EVAL", TOKEN_BUCKET, "1", "bucket:a", "10", "5", "1002000", "4"),
                c("HGETALL", "bucket:a"),
                c("RPUSH", "bull:q:wait", "1", "2"),
                c("EVAL", JOB_MOVE, "3", "bull:q:wait", "bull:q:active", "bull:q:events", "bull:q:", "token-1", "30000",
                        "1700000000000"),
                c("EVAL", JOB_MOVE, "3", "bull:q:wait", "bull:q:active", "bull:q:events", "bull:q:", "token-2", "30000",
                        "1700000000001"),
                c("EVAL", JOB_MOVE, "3", "bull:q:wait", "bull:q:active", "bull:q:events", "bull:q:", "token-3", "30000",
                        "1700000000002"),
                c("LRANGE", "bull:q:active", "0", "-1"), c("GET", "bull:q:1:lock"), c("XLEN", "bull:q:events")));
    }
}
