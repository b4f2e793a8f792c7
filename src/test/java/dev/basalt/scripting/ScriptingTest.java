package dev.basalt.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.protocol.ReplyValue;
import dev.basalt.protocol.ValueReply;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.testutil.TempStorage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scripting engine behind its host interface: a map stands in for the keyspace. */
@Timeout(60)
class ScriptingTest {
    private final Scripting scripting = new Scripting(2);

    @AfterEach
    void close() {
        scripting.close();
    }

    /** GET/SET/DEL/ECHO over a map; records what the script asked for. */
    static final class MapHost implements ScriptHost {
        final Map<String, byte[]> data = new HashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Integer> protocols = new CopyOnWriteArrayList<>();
        final List<Boolean> platformThreads = new CopyOnWriteArrayList<>();
        final List<String> logs = new CopyOnWriteArrayList<>();

        @Override
        public ReplyValue call(List<byte[]> argv, int protocol, boolean readOnly) {
            String name = new String(argv.get(0), StandardCharsets.UTF_8).toLowerCase();
            calls.add(name);
            protocols.add(protocol);
            platformThreads.add(!Thread.currentThread().isVirtual());
            String key = argv.size() > 1 ? new String(argv.get(1), StandardCharsets.ISO_8859_1) : null;
            return switch (name) {
                case "get" -> data.containsKey(key) ? new ReplyValue.Bulk(data.get(key)) : new ReplyValue.Null(false);
                case "set" -> {
                    if (readOnly) {
                        yield new ReplyValue.Error(ScriptErrors.WRITE_FROM_READ_ONLY);
                    }
                    data.put(key, argv.get(2));
                    yield new ReplyValue.Simple("OK");
                }
                case "echo" -> new ReplyValue.Bulk(argv.get(1));
                case "hgetall" -> new ReplyValue.Aggregate(ReplyValue.Aggregate.Kind.MAP, List.of(
                        new ReplyValue.Bulk("f".getBytes(StandardCharsets.UTF_8)),
                        new ReplyValue.Bulk("v".getBytes(StandardCharsets.UTF_8))));
                default -> new ReplyValue.Error(ScriptErrors.UNKNOWN_COMMAND);
            };
        }

        @Override
        public boolean commandExists(byte[] name) {
            return List.of("get", "set", "echo").contains(new String(name, StandardCharsets.UTF_8).toLowerCase());
        }

        @Override
        public void log(int level, String message) {
            logs.add(level + " " + message);
        }
    }

    private ReplyValue eval(String body, MapHost host, List<byte[]> keys, List<byte[]> argv) throws Exception {
        Scripting.Script script = scripting.load(body.getBytes(StandardCharsets.UTF_8));
        ValueReply out = new ValueReply(2);
        scripting.eval(script, keys, argv, new ScriptRun(host, script.flags().noWrites(), script.sha(), false), out);
        return out.single();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyByteValueSurvivesTheTripThroughLua() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        MapHost host = new MapHost();
        ReplyValue r = eval("redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])", host,
                List.of(new byte[] {0, (byte) 0xff, 'k'}), List.of(all));
        assertArrayEquals(all, ((ReplyValue.Bulk) r).value());
        assertArrayEquals(all, host.data.get(new String(new byte[] {0, (byte) 0xff, 'k'}, StandardCharsets.ISO_8859_1)));
        assertEquals(new ReplyValue.Int(256), eval("return #ARGV[1]", host, List.of(), List.of(all)));
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9, 0}, ((ReplyValue.Bulk) eval(
                "return redis.call('echo', ARGV[1] .. '\\0')", host, List.of(), List.of(b("é")))).value());
    }

    @Test
    void redisCallRunsOnAScriptPlatformThreadAndFollowsSetresp() throws Exception {
        MapHost host = new MapHost();
        ReplyValue r = eval("local a = redis.call('hgetall', 'h') redis.setresp(3) local b = redis.call('hgetall', 'h') "
                + "return {#a, b.map.f}", host, List.of(), List.of());
        List<ReplyValue> elements = ((ReplyValue.Aggregate) r).elements();
        assertEquals(new ReplyValue.Int(2), elements.get(0));
        assertArrayEquals(b("v"), ((ReplyValue.Bulk) elements.get(1)).value());
        assertEquals(List.of(2, 3), host.protocols);
        assertTrue(host.platformThreads.stream().allMatch(p -> p));
    }

    @Test
    void readOnlyScriptsTellTheHost() throws Exception {
        MapHost host = new MapHost();
        ReplyValue r = eval("#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')", host, List.of(), List.of());
        Scripting.Script script = scripting.load(b("#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')"));
        assertEquals(new ReplyValue.Error(ScriptErrors.WRITE_FROM_READ_ONLY + " script: " + script.sha()
                + ", on @user_script:2."), r);
        assertFalse(host.data.containsKey("k"));
    }

    @Test
    void logAndAclCheckReachTheHost() throws Exception {
        MapHost host = new MapHost();
        eval("redis.log(redis.LOG_NOTICE, 'a', 1, {}, 'b')", host, List.of(), List.of());
        assertEquals(List.of("2 a 1 b"), host.logs);
        assertEquals(new ReplyValue.Int(1), eval("return redis.acl_check_cmd('get')", host, List.of(), List.of()));
        ReplyValue bad = eval("return redis.acl_check_cmd('nosuch')", host, List.of(), List.of());
        assertTrue(((ReplyValue.Error) bad).text().startsWith("ERR Invalid command passed to redis.acl_check_cmd()"));
    }

    @Test
    void scriptCacheIsKeyedBySha1AndFlushes() throws Exception {
        Scripting.Script s = scripting.load(b("return 1"));
        assertEquals("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", s.sha());
        assertTrue(scripting.exists("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB"));
        assertEquals(1, scripting.cachedCount());
        Scripting.ScriptException e = assertThrows(Scripting.ScriptException.class, () -> scripting.load(b("return +")));
        assertTrue(e.getMessage().startsWith("ERR Error compiling script (new function): user_script:1:"), e.getMessage());
        scripting.flush();
        assertFalse(scripting.exists(s.sha()));
        assertEquals(0, scripting.cachedCount());
        assertEquals(new ReplyValue.Int(1), eval("return 1", new MapHost(), List.of(), List.of()));
    }

    @Test
    void interpreterMemoryIsSampled() throws Exception {
        eval("local t = {} for i = 1, 1000 do t[i] = i end return #t", new MapHost(), List.of(), List.of());
        assertTrue(scripting.luaMemoryBytes() > 0);
    }

    @Test
    void shebangFlagsAreParsed() {
        ScriptFlags.Parsed p = ScriptFlags.ofScript(b("#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,"
                + "allow-cross-slot-keys\nreturn 1"));
        assertTrue(p.shebang());
        assertEquals(5, p.flags().size());
        assertFalse(ScriptFlags.ofScript(b("return 1")).shebang());
        assertTrue(ScriptFlags.ofScript(b("#!lua\nreturn 1")).flags().isEmpty());
        assertEquals("ERR Unexpected flag in script shebang: bogus",
                assertThrows(IllegalArgumentException.class, () -> ScriptFlags.ofScript(b("#!lua flags=bogus\n")))
                        .getMessage());
    }

    @Test
    void aBusyScriptIsKilledEvenInsidePcall() throws Exception {
        for (String body : List.of("while true do end", "while true do pcall(function() while true do end end) end",
                "redis.call('set', 'k', 'v') local i = 0 while true do i = i + 1 end")) {
            MapHost host = new MapHost();
            Scripting.Script script = scripting.load(b(body));
            ScriptRun run = new ScriptRun(host, false, script.sha(), false);
            ValueReply out = new ValueReply(2);
            CompletableFuture<Void> done = CompletableFuture.runAsync(
                    () -> scripting.eval(script, List.of(), List.of(), run, out));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!scripting.running().contains(run)) {
                assertTrue(System.nanoTime() < deadline, "the script never started");
                Thread.onSpinWait();
            }
            assertEquals(run, scripting.busy(0));
            run.kill();
            done.get();
            assertEquals(new ReplyValue.Error(ScriptErrors.KILLED + " script: " + script.sha() + ", on @user_script:1."),
                    out.single(), body);
            assertTrue(scripting.running().isEmpty());
        }
    }

    @Test
    void functionsRegisterRunAndSeeTheRuntimeApi() throws Exception {
        FunctionRegistry.Library lib = scripting.prepareLibrary(b("#!lua name=mylib\n"
                + "local function get(k) return redis.call('get', k) end\n"
                + "redis.register_function('getit', function(keys, args) return get(keys[1]) end)\n"
                + "redis.register_function{function_name='echo2', callback=function(keys, args) return args end, "
                + "flags={'no-writes', 'allow-stale'}, description='echoes'}\n"), false);
        assertEquals("mylib", lib.name());
        assertEquals(2, lib.functions().size());
        assertNull(scripting.functions().function("getit"));
        scripting.functions().put(lib);
        FunctionRegistry.Function echo = scripting.functions().function("echo2");
        assertEquals("echoes", echo.description());
        assertEquals(List.of("no-writes", "allow-stale"), ScriptFlags.names(echo.flags()));
        MapHost host = new MapHost();
        host.data.put("k", b("value"));
        ValueReply out = new ValueReply(2);
        scripting.fcall("getit", List.of(b("k")), List.of(), new ScriptRun(host, false, "getit", true), out);
        assertArrayEquals(b("value"), ((ReplyValue.Bulk) out.single()).value());
        out = new ValueReply(2);
        scripting.fcall("echo2", List.of(), List.of(b("a"), b("b")), new ScriptRun(host, true, "echo2", true), out);
        assertEquals(2, ((ReplyValue.Aggregate) out.single()).elements().size());
        out = new ValueReply(2);
        scripting.fcall("echo2", List.of(), List.of(), new ScriptRun(host, true, "echo2", true), out);
        // a function does not see KEYS/ARGV globals, and may not register at run time
        scripting.functions().put(scripting.prepareLibrary(b("#!lua name=other\n"
                + "redis.register_function('usekeys', function() return KEYS end)\n"
                + "redis.register_function('reg', function() return redis.register_function('z', function() end) end)"),
                false));
        out = new ValueReply(2);
        scripting.fcall("usekeys", List.of(), List.of(), new ScriptRun(host, false, "usekeys", true), out);
        assertEquals(new ReplyValue.Error("ERR user_function:2: Script attempted to access nonexistent global variable "
                + "'KEYS' script: usekeys, on @user_function:2."), out.single());
        out = new ValueReply(2);
        scripting.fcall("reg", List.of(), List.of(), new ScriptRun(host, false, "reg", true), out);
        assertEquals(new ReplyValue.Error("ERR user_function:3: attempt to call field 'register_function' (a nil value)"
                + " script: reg, on @user_function:3."), out.single());
    }

    @Test
    void libraryConflictsAreRefused() throws Exception {
        scripting.functions().put(scripting.prepareLibrary(b("#!lua name=a\nredis.register_function('f', function() end)"),
                false));
        assertEquals("ERR Library 'a' already exists", assertThrows(LibraryException.class,
                () -> scripting.prepareLibrary(b("#!lua name=a\nredis.register_function('g', function() end)"), false))
                .getMessage());
        assertEquals("ERR Function f already exists", assertThrows(LibraryException.class,
                () -> scripting.prepareLibrary(b("#!lua name=b\nredis.register_function('f', function() end)"), false))
                .getMessage());
        FunctionRegistry.Library replaced = scripting.prepareLibrary(
                b("#!lua name=a\nredis.register_function('g', function() return 2 end)"), true);
        scripting.functions().put(replaced);
        assertNull(scripting.functions().function("f"));
        assertEquals("a", scripting.functions().function("g").library());
        long before = scripting.functions().version();
        scripting.functions().delete("a");
        assertTrue(scripting.functions().version() > before);
        assertNull(scripting.functions().function("g"));
    }

    @Test
    void librariesPersistUnderKvrocksKeys() throws Exception {
        try (TempStorage temp = TempStorage.open()) {
            Storage storage = temp.storage();
            FunctionRegistry.Library lib = scripting.prepareLibrary(
                    b("#!lua name=lib1\nredis.register_function('f1', function() return 1 end)\n"
                            + "redis.register_function('f2', function() return 2 end)"), false);
            try (Txn txn = storage.begin("")) {
                ScriptStore.saveLibrary(txn, lib);
                ScriptStore.saveScript(txn, "abc", b("return 1"));
                storage.commit(txn);
            }
            try (Txn txn = storage.begin("")) {
                assertArrayEquals(lib.code(), txn.get(dev.basalt.storage.ColumnFamily.PROPAGATE, b("lua_lib_code_lib1")));
                assertArrayEquals(b("lib1"), txn.get(dev.basalt.storage.ColumnFamily.PROPAGATE, b("lua_func_lib_f2")));
                assertArrayEquals(b("return 1"), ScriptStore.loadScript(txn, "abc"));
                List<ScriptStore.StoredLibrary> stored = ScriptStore.loadLibraries(txn);
                assertEquals(1, stored.size());
                Scripting fresh = new Scripting(1);
                try {
                    assertTrue(fresh.restore(stored).isEmpty());
                    assertEquals("lib1", fresh.functions().function("f2").library());
                } finally {
                    fresh.close();
                }
            }
            try (Txn txn = storage.begin("")) {
                ScriptStore.deleteLibrary(txn, lib);
                ScriptStore.flushScripts(txn);
                storage.commit(txn);
            }
            try (Txn txn = storage.begin("")) {
                assertTrue(ScriptStore.loadLibraries(txn).isEmpty());
                assertNull(txn.get(dev.basalt.storage.ColumnFamily.PROPAGATE, b("lua_func_lib_f1")));
                assertNull(ScriptStore.loadScript(txn, "abc"));
            }
        }
    }

    @Test
    void manyConcurrentRunsUseSeparateInterpreters() throws Exception {
        MapHost host = new MapHost();
        Scripting.Script script = scripting.load(b("local s = 0 for i = 1, 1000 do s = s + i end return s + tonumber(ARGV[1])"));
        List<CompletableFuture<ReplyValue>> runs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            runs.add(CompletableFuture.supplyAsync(() -> {
                ValueReply out = new ValueReply(2);
                scripting.eval(script, List.of(), List.of(b(Integer.toString(n))),
                        new ScriptRun(host, false, script.sha(), false), out);
                return out.single();
            }));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(new ReplyValue.Int(500500 + i), runs.get(i).get());
        }
    }
}
