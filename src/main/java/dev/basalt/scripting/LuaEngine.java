package dev.basalt.scripting;

import dev.basalt.protocol.Reply;
import dev.basalt.protocol.ReplyValue;
import dev.basalt.protocol.RespWriter;
import dev.basalt.util.Log;
import dev.basalt.util.Version;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

/**
 * One Lua 5.1 interpreter with Redis 7.0's script environment: protected globals, the redis.* API,
 * bit, cjson, cmsgpack and struct. Not thread-safe: one run at a time ({@link LuaEngines} hands them out).
 * Scripts are compiled once per interpreter and kept by SHA1; libraries are loaded when the
 * {@link FunctionRegistry} they come from has changed.
 */
public final class LuaEngine implements AutoCloseable {
    /** Nesting deeper than this in a reply or a script's return value is refused, as Redis's Lua stack limit does. */
    private static final int MAX_DEPTH = 200;
    /** The libraries Redis bundles that are written in Lua here (resources next to this class). */
    private static final List<String> MODULES = List.of("cjson", "cmsgpack", "struct");

    private final Lua lua;
    private final int runtimeRef;
    /** runtime.eval and runtime.run, kept in the registry: each run starts with one of them. */
    private final int evalRef;
    private final int runRef;
    /** A Lua function answering "source:line: " of the script that called the current Java function. */
    private final int whereRef;
    private final Map<String, Integer> scripts = new HashMap<>();
    private final Map<String, Integer> functions = new HashMap<>();
    private long librariesVersion = -1;
    private volatile long memoryBytes;
    private int runsSinceSample;
    private ScriptRun current;

    public LuaEngine() {
        lua = new Lua51();
        for (String library : List.of("base", "string", "table", "math", "debug")) {
            lua.openLibrary(library);
        }
        lua.createTable(0, 12);
        javaFunction("call", l -> call(l, true));
        javaFunction("pcall", l -> call(l, false));
        javaFunction("error_reply", LuaEngine::errorReply);
        javaFunction("status_reply", LuaEngine::statusReply);
        javaFunction("sha1hex", LuaEngine::sha1hex);
        javaFunction("log", this::log);
        javaFunction("setresp", this::setResp);
        javaFunction("set_repl", LuaEngine::setRepl);
        javaFunction("acl_check_cmd", this::aclCheckCmd);
        javaFunction("interrupted", this::interrupted);
        lua.setGlobal("__basalt_java");
        BitLibrary.push(lua);
        lua.setGlobal("__basalt_bit");
        lua.push(Version.REDIS_COMPAT_VERSION);
        lua.setGlobal("__basalt_redis_version");
        lua.push(versionNumber(Version.REDIS_COMPAT_VERSION));
        lua.setGlobal("__basalt_redis_version_num");
        lua.load("local getinfo = debug.getinfo\n"
                + "return function()\n"
                + "  local info = getinfo(3, 'Sl')\n"
                + "  if info and info.currentline > 0 then return info.short_src .. ':' .. info.currentline .. ': ' end\n"
                + "  return ''\n"
                + "end");
        lua.pCall(0, 1);
        whereRef = lua.ref();
        runResource("ieee754.lua", 1);
        lua.setGlobal("__basalt_ieee754");
        for (String module : MODULES) {
            runResource(module + ".lua", 1);
            asCFunctions();
            lua.setGlobal("__basalt_" + module);
        }
        runResource("prelude.lua", 0);
        lua.getGlobal("__basalt_runtime");
        runtimeRef = lua.ref();
        runtimeField("eval");
        evalRef = lua.ref();
        runtimeField("run");
        runRef = lua.ref();
        lua.pushNil();
        lua.setGlobal("__basalt_runtime");
    }

    /** "7.0.0" as Redis's REDIS_VERSION_NUM: 0x00MMmmpp. */
    static long versionNumber(String version) {
        String[] parts = version.split("\\.");
        long n = 0;
        for (int i = 0; i < 3; i++) {
            n = n * 256 + (i < parts.length ? Long.parseLong(parts[i]) : 0);
        }
        return n;
    }

    /**
     * Replaces every Lua function in the module table on top of the stack by a Java function calling
     * it: like the C modules Redis bundles, they then keep the caller's frame in a tail call, and their
     * errors carry the caller's position (luaL_error), not the module's.
     */
    private void asCFunctions() {
        int table = lua.getTop();
        List<String> names = new ArrayList<>();
        lua.pushNil();
        while (lua.next(table) != 0) {
            if (lua.type(-1) == Lua.LuaType.FUNCTION && lua.type(-2) == Lua.LuaType.STRING) {
                names.add(lua.toString(-2));
            }
            lua.pop(1);
        }
        for (String name : names) {
            lua.push(name);
            lua.rawGet(table);
            int impl = lua.ref();
            lua.push((JFunction) l -> callModule(l, impl));
            lua.setField(table, name);
        }
    }

    private int callModule(Lua l, int impl) {
        int n = l.getTop();
        l.refGet(impl);
        l.insert(1);
        try {
            l.pCall(n, -1);
        } catch (LuaException e) {
            l.setTop(0);
            l.refGet(whereRef);
            l.pCall(0, 1);
            String where = l.toString(-1);
            l.pop(1);
            l.push(where + e.getMessage());
            return -1;
        }
        return l.getTop();
    }

    /** Sets a Java function into the table on top of the stack. */
    private void javaFunction(String name, JFunction f) {
        lua.push(f);
        lua.setField(-2, name);
    }

    private void runResource(String name, int results) {
        byte[] source;
        try (InputStream in = LuaEngine.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            source = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer chunk = ByteBuffer.allocateDirect(source.length);
        chunk.put(source).flip();
        lua.load(chunk, name.equals("prelude.lua") ? "=[basalt]" : "=[" + name + "]");
        lua.pCall(0, results);
    }

    // ---- EVAL ----

    /** True when this interpreter has compiled the script already. */
    public boolean hasScript(String sha) {
        return scripts.containsKey(sha);
    }

    /**
     * Compiles a script body; answers null, or the error Redis answers for it
     * ("ERR Error compiling script (new function): user_script:1: ...").
     */
    public String compile(String sha, byte[] body) {
        if (scripts.containsKey(sha)) {
            return null;
        }
        int top = lua.getTop();
        runtimeField("compile");
        LuaStrings.push(lua, ScriptFlags.commentShebang(body));
        lua.push("@user_script");
        lua.pCall(2, 2);
        if (lua.isNil(-2)) {
            String message = new String(LuaStrings.read(lua, -1), StandardCharsets.UTF_8);
            lua.setTop(top);
            return "ERR Error compiling script (new function): " + message;
        }
        lua.pop(1);
        scripts.put(sha, lua.ref());
        lua.setTop(top);
        return null;
    }

    /** Runs a compiled script with KEYS and ARGV and writes its reply to {@code out}. */
    public void eval(String sha, List<byte[]> keys, List<byte[]> argv, ScriptRun run, Reply out) {
        Integer ref = scripts.get(sha);
        if (ref == null) {
            throw new IllegalStateException("script " + sha + " is not compiled");
        }
        int top = lua.getTop();
        try {
            lua.refGet(evalRef);
            lua.refGet(ref);
            pushStrings(keys);
            pushStrings(argv);
            execute(2, run, out);
        } finally {
            lua.setTop(top);
        }
    }

    /** Forgets every compiled script (SCRIPT FLUSH). */
    public void flushScripts() {
        for (int ref : scripts.values()) {
            lua.unref(ref);
        }
        scripts.clear();
        lua.gc();
    }

    // ---- FUNCTION ----

    /**
     * Runs a library's code and collects what it registers. Answers the functions, or throws
     * {@link LibraryException} with Redis's error text.
     */
    List<FunctionRegistry.Function> loadLibrary(String libraryName, byte[] code, Map<String, Integer> refs)
            throws LibraryException {
        int top = lua.getTop();
        ScriptRun loading = new ScriptRun(null, true, libraryName, true);
        ScriptRun previous = current;
        current = loading;
        try {
            runtimeField("load_library");
            LuaStrings.push(lua, ScriptFlags.commentShebang(code));
            lua.pCall(1, 2);
            if (!lua.toBoolean(-2)) {
                rawField(-1, "compile");
                if (!lua.isNil(-1)) {
                    throw new LibraryException("ERR Error compiling function: " + text(-1));
                }
                lua.pop(1);
                rawField(-1, "err");
                throw new LibraryException("ERR Error registering functions: " + text(-1));
            }
            List<FunctionRegistry.Function> registered = new ArrayList<>();
            int n = lua.rawLength(-1);
            for (int i = 1; i <= n; i++) {
                lua.rawGetI(-1, i);
                rawField(-1, "name");
                String name = text(-1);
                lua.pop(1);
                rawField(-1, "description");
                String description = lua.isNil(-1) ? null : text(-1);
                lua.pop(1);
                rawField(-1, "flags");
                List<String> flags = new ArrayList<>();
                int flagCount = lua.rawLength(-1);
                for (int f = 1; f <= flagCount; f++) {
                    lua.rawGetI(-1, f);
                    flags.add(text(-1));
                    lua.pop(1);
                }
                lua.pop(1);
                rawField(-1, "callback");
                refs.put(name, lua.ref());
                lua.pop(1);
                registered.add(new FunctionRegistry.Function(name, libraryName, description,
                        ScriptFlags.ofNames(flags)));
            }
            return registered;
        } finally {
            current = previous;
            lua.setTop(top);
        }
    }

    /** Drops the functions a trial load registered. */
    void release(Map<String, Integer> refs) {
        for (int ref : refs.values()) {
            lua.unref(ref);
        }
        refs.clear();
    }

    /** Brings this interpreter's functions up to the registry's libraries. */
    private void syncLibraries(FunctionRegistry registry) {
        long version = registry.version();
        if (version == librariesVersion) {
            return;
        }
        for (int ref : functions.values()) {
            lua.unref(ref);
        }
        functions.clear();
        for (FunctionRegistry.Library library : registry.libraries()) {
            try {
                loadLibrary(library.name(), library.code(), functions);
            } catch (LibraryException e) {
                // The registry accepted this code in another interpreter; the same code cannot fail here.
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        librariesVersion = version;
    }

    /** Runs a registered function with its keys and arguments (FCALL) and writes its reply. */
    public void fcall(FunctionRegistry registry, String name, List<byte[]> keys, List<byte[]> argv, ScriptRun run,
            Reply out) {
        syncLibraries(registry);
        Integer ref = functions.get(name);
        if (ref == null) {
            // deleted by FUNCTION DELETE / FLUSH since the caller looked it up
            out.error("ERR Function not found");
            return;
        }
        int top = lua.getTop();
        try {
            lua.refGet(runRef);
            lua.refGet(ref);
            pushStrings(keys);
            pushStrings(argv);
            execute(2, run, out);
        } finally {
            lua.setTop(top);
        }
    }

    /** Bytes the interpreter's heap held when last sampled (INFO used_memory_lua); sampled every 64 runs. */
    public long memoryBytes() {
        return memoryBytes;
    }

    private void sampleMemory() {
        int top = lua.getTop();
        runtimeField("memory");
        lua.pCall(0, 1);
        memoryBytes = (long) lua.toNumber(-1);
        lua.setTop(top);
    }

    /** Calls runtime.eval(fn, keys, argv) or runtime.run(fn, keys, argv), already on the stack, and writes the outcome. */
    private void execute(int nargs, ScriptRun run, Reply out) {
        if (++runsSinceSample >= 64 || memoryBytes == 0) {
            runsSinceSample = 0;
            int top = lua.getTop();
            sampleMemory();
            lua.setTop(top);
        }
        ScriptRun previous = current;
        current = run;
        try {
            lua.pCall(nargs + 1, 2);
        } catch (LuaException e) {
            current = previous;
            out.error("ERR " + e.getMessage());
            return;
        }
        current = previous;
        if (lua.toBoolean(-2)) {
            writeLua(-1, out, run.protocol(), 0);
        } else {
            out.error(errorText(-1, run.name()));
        }
    }

    /** Redis's final script error: "<err> script: <name>, on <source>:<line>." when a position is known. */
    private String errorText(int index, String name) {
        rawField(index, "err");
        String err = text(-1);
        lua.pop(1);
        rawField(index, "source");
        String source = lua.isNil(-1) ? null : text(-1);
        lua.pop(1);
        rawField(index, "line");
        long line = lua.isNil(-1) ? -1 : (long) lua.toNumber(-1);
        lua.pop(1);
        if (source == null) {
            return err;
        }
        return err + " script: " + name + ", on " + source + ":" + line + ".";
    }

    private void runtimeField(String name) {
        lua.refGet(runtimeRef);
        rawField(-1, name);
        lua.remove(-2);
    }

    /** Pushes t[name] without metamethods. */
    private void rawField(int index, String name) {
        int abs = index < 0 ? lua.getTop() + index + 1 : index;
        lua.push(name);
        lua.rawGet(abs);
    }

    private void pushStrings(List<byte[]> items) {
        lua.createTable(items.size(), 0);
        int i = 1;
        for (byte[] item : items) {
            LuaStrings.push(lua, item);
            lua.rawSetI(-2, i++);
        }
    }

    private String text(int index) {
        byte[] b = LuaStrings.read(lua, index);
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    // ---- Java functions Lua calls ----

    /**
     * redis.call / redis.pcall: runs the command through the host. An error reply is raised (call) or
     * returned (pcall) as an error table, as Redis does.
     */
    private int call(Lua l, boolean raise) {
        int n = l.getTop();
        ScriptRun run = current;
        if (n == 0) {
            return errorTable(l, ScriptErrors.NO_ARGUMENTS, raise);
        }
        List<byte[]> argv = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            switch (l.type(i)) {
                case STRING -> argv.add(LuaStrings.read(l, i));
                case NUMBER -> {
                    l.pushValue(i);
                    argv.add(LuaStrings.read(l, -1));
                    l.pop(1);
                }
                default -> {
                    return errorTable(l, ScriptErrors.BAD_ARGUMENT, raise);
                }
            }
        }
        ReplyValue reply = run.host().call(argv, run.protocol(), run.readOnly());
        if (reply instanceof ReplyValue.Error e) {
            return errorTable(l, e.text(), raise);
        }
        pushReply(l, reply, run.protocol(), 0);
        return 1;
    }

    /**
     * Pushes {err = text} and raises it ({@code raise}) or returns it. {@code text} is an error reply's
     * text ("CODE message"); one without a space gets Redis's "ERR " code, as luaPushError does.
     */
    private static int errorTable(Lua l, String text, boolean raise) {
        l.createTable(0, 1);
        LuaStrings.push(l, errorText(text).getBytes(StandardCharsets.UTF_8));
        l.setField(-2, "err");
        return raise ? -1 : 1;
    }

    /** Redis's luaPushError on "-" + text: the first word is the code, or ERR when there is only one word. */
    static String errorText(String text) {
        return text.indexOf(' ') >= 0 ? text : "ERR " + text;
    }

    private static int raise(Lua l, String message) {
        return errorTable(l, "ERR " + message, true);
    }

    /** redis.error_reply(text): {err = text}, with Redis's treatment of a leading '-'. */
    private static int errorReply(Lua l) {
        if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) {
            return errorTable(l, "ERR wrong number or type of arguments", false);
        }
        String text = new String(LuaStrings.read(l, 1), StandardCharsets.UTF_8);
        return errorTable(l, text.startsWith("-") ? text.substring(1) : text, false);
    }

    private static int statusReply(Lua l) {
        if (l.getTop() != 1 || l.type(1) != Lua.LuaType.STRING) {
            return errorTable(l, "ERR wrong number or type of arguments", false);
        }
        l.createTable(0, 1);
        l.pushValue(1);
        l.setField(-2, "ok");
        return 1;
    }

    private static int sha1hex(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "wrong number of arguments");
        }
        byte[] data = new byte[0];
        if (l.type(1) == Lua.LuaType.STRING || l.type(1) == Lua.LuaType.NUMBER) {
            l.pushValue(1);
            data = LuaStrings.read(l, -1);
            l.pop(1);
        }
        l.push(Sha1.hex(data));
        return 1;
    }

    private int log(Lua l) {
        int n = l.getTop();
        if (n < 2) {
            return raise(l, "redis.log() requires two arguments or more.");
        }
        if (l.type(1) != Lua.LuaType.NUMBER) {
            return raise(l, "First argument must be a number (log level).");
        }
        double level = l.toNumber(1);
        if (level < ScriptErrors.LOG_DEBUG || level > ScriptErrors.LOG_WARNING) {
            return raise(l, "Invalid debug level.");
        }
        StringBuilder message = new StringBuilder();
        for (int i = 2; i <= n; i++) {
            if (l.type(i) == Lua.LuaType.STRING || l.type(i) == Lua.LuaType.NUMBER) {
                l.pushValue(i);
                if (i != 2) {
                    message.append(' ');
                }
                message.append(new String(LuaStrings.read(l, -1), StandardCharsets.UTF_8));
                l.pop(1);
            }
        }
        ScriptRun run = current;
        if (run != null && run.host() != null) {
            run.host().log((int) level, message.toString());
        } else {
            logToServer((int) level, message.toString());
        }
        return 0;
    }

    /** redis.log's levels on the server log: debug, verbose (debug), notice (info), warning. */
    public static void logToServer(int level, String message) {
        switch (level) {
            case ScriptErrors.LOG_WARNING -> Log.warn(message);
            case ScriptErrors.LOG_NOTICE -> Log.info(message);
            default -> Log.debug(message);
        }
    }

    private int setResp(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "redis.setresp() requires one argument.");
        }
        double resp = l.toNumber(1);
        if (resp != 2 && resp != 3) {
            return raise(l, "RESP version must be 2 or 3.");
        }
        current.setProtocol((int) resp);
        return 0;
    }

    /** redis.set_repl: accepted and checked; Basalt replicates the write batch, not commands. */
    private static int setRepl(Lua l) {
        if (l.getTop() != 1) {
            return raise(l, "redis.set_repl() requires one argument.");
        }
        double flags = l.toNumber(1);
        if (flags < 0 || flags > 3 || flags != Math.floor(flags)) {
            return raise(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        return 0;
    }

    /** redis.acl_check_cmd: Basalt has no ACL users, so any existing command is allowed. */
    private int aclCheckCmd(Lua l) {
        int n = l.getTop();
        if (n == 0) {
            return raise(l, "Please specify at least one argument for this redis lib call");
        }
        if (l.type(1) != Lua.LuaType.STRING && l.type(1) != Lua.LuaType.NUMBER) {
            return raise(l, "Lua redis lib command arguments must be strings or integers");
        }
        l.pushValue(1);
        byte[] name = LuaStrings.read(l, -1);
        l.pop(1);
        ScriptRun run = current;
        if (run == null || run.host() == null || !run.host().commandExists(name)) {
            return raise(l, "Invalid command passed to redis.acl_check_cmd()");
        }
        l.push(true);
        return 1;
    }

    private int interrupted(Lua l) {
        ScriptRun run = current;
        String message = run == null ? null : run.killMessage();
        if (message == null) {
            l.pushNil();
        } else {
            l.push(message);
        }
        return 1;
    }

    // ---- conversions ----

    /** Pushes a command's reply as Redis converts it for Lua (RESP2 or RESP3 rules). */
    private static void pushReply(Lua l, ReplyValue reply, int protocol, int depth) {
        l.checkStack(4);
        switch (reply) {
            case ReplyValue.Int i -> l.push(i.value());
            case ReplyValue.Bulk b -> LuaStrings.push(l, b.value());
            case ReplyValue.Simple s -> singleField(l, "ok", s.text());
            case ReplyValue.Error e -> singleField(l, "err", e.text());
            case ReplyValue.Verbatim v -> {
                if (protocol == 3) {
                    l.createTable(0, 1);
                    l.createTable(0, 2);
                    l.push("txt");
                    l.setField(-2, "format");
                    LuaStrings.push(l, v.text().getBytes(StandardCharsets.UTF_8));
                    l.setField(-2, "string");
                    l.setField(-2, "verbatim_string");
                } else {
                    LuaStrings.push(l, v.text().getBytes(StandardCharsets.UTF_8));
                }
            }
            case ReplyValue.Null n -> {
                if (protocol == 3) {
                    l.pushNil();
                } else {
                    l.push(false);
                }
            }
            case ReplyValue.Bool b -> {
                if (protocol == 3) {
                    l.push(b.value());
                } else {
                    l.push(b.value() ? 1L : 0L);
                }
            }
            case ReplyValue.Dbl d -> {
                if (protocol == 3) {
                    l.createTable(0, 1);
                    l.push(d.value());
                    l.setField(-2, "double");
                } else {
                    l.push(RespWriter.formatDouble(d.value()));
                }
            }
            case ReplyValue.BigNumber b -> {
                if (protocol == 3) {
                    singleField(l, "big_number", b.digits());
                } else {
                    l.push(b.digits());
                }
            }
            case ReplyValue.Aggregate a -> pushAggregate(l, a, protocol, depth);
        }
    }

    private static void pushAggregate(Lua l, ReplyValue.Aggregate a, int protocol, int depth) {
        List<ReplyValue> elements = a.elements();
        boolean asMap = protocol == 3 && a.kind() == ReplyValue.Aggregate.Kind.MAP;
        boolean asSet = protocol == 3 && a.kind() == ReplyValue.Aggregate.Kind.SET;
        if (asMap || asSet) {
            l.createTable(0, 1);
            l.createTable(0, asMap ? elements.size() / 2 : elements.size());
            int step = asMap ? 2 : 1;
            for (int i = 0; i < elements.size(); i += step) {
                pushReply(l, elements.get(i), protocol, depth + 1);
                if (asMap) {
                    pushReply(l, elements.get(i + 1), protocol, depth + 1);
                } else {
                    l.push(true);
                }
                l.rawSet(-3);
            }
            l.setField(-2, asMap ? "map" : "set");
            return;
        }
        l.createTable(elements.size(), 0);
        int index = 1;
        for (ReplyValue e : elements) {
            pushReply(l, e, protocol, depth + 1);
            l.rawSetI(-2, index++);
        }
    }

    private static void singleField(Lua l, String field, String value) {
        l.createTable(0, 1);
        LuaStrings.push(l, value.getBytes(StandardCharsets.UTF_8));
        l.setField(-2, field);
    }

    /**
     * Writes the Lua value at {@code index} as Redis does: numbers truncate to integers, tables are
     * err/ok/double/big_number/map/set/verbatim_string or arrays up to the first nil, true is 1 (RESP3
     * scripts: #t), false and nil are null.
     */
    private void writeLua(int index, Reply out, int scriptProtocol, int depth) {
        int abs = index < 0 ? lua.getTop() + index + 1 : index;
        if (depth > MAX_DEPTH) {
            out.error("ERR reached lua stack limit");
            return;
        }
        lua.checkStack(4);
        switch (lua.type(abs)) {
            case STRING -> out.bulk(LuaStrings.read(lua, abs));
            case NUMBER -> out.integer(truncate(lua.toNumber(abs)));
            case BOOLEAN -> {
                boolean b = lua.toBoolean(abs);
                if (scriptProtocol == 3) {
                    out.bool(b);
                } else if (b) {
                    out.integer(1);
                } else {
                    out.nullBulk();
                }
            }
            case TABLE -> writeTable(abs, out, scriptProtocol, depth);
            default -> out.nullBulk();
        }
    }

    private void writeTable(int t, Reply out, int scriptProtocol, int depth) {
        if (field(t, "err", Lua.LuaType.STRING)) {
            String text = text(-1);
            lua.pop(1);
            out.error(text);
            return;
        }
        if (field(t, "ok", Lua.LuaType.STRING)) {
            String text = text(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            out.simple(text);
            return;
        }
        if (field(t, "double", Lua.LuaType.NUMBER)) {
            double d = lua.toNumber(-1);
            lua.pop(1);
            out.dbl(d);
            return;
        }
        if (field(t, "big_number", Lua.LuaType.STRING)) {
            String digits = text(-1).replace('\r', ' ').replace('\n', ' ');
            lua.pop(1);
            out.bigNumber(digits);
            return;
        }
        if (field(t, "map", Lua.LuaType.TABLE)) {
            int map = lua.getTop();
            out.mapHeader(countPairs(map));
            lua.pushNil();
            while (lua.next(map) != 0) {
                writeLua(-2, out, scriptProtocol, depth + 1);
                writeLua(-1, out, scriptProtocol, depth + 1);
                lua.pop(1);
            }
            lua.pop(1);
            return;
        }
        if (field(t, "set", Lua.LuaType.TABLE)) {
            int set = lua.getTop();
            out.setHeader(countPairs(set));
            lua.pushNil();
            while (lua.next(set) != 0) {
                writeLua(-2, out, scriptProtocol, depth + 1);
                lua.pop(1);
            }
            lua.pop(1);
            return;
        }
        if (field(t, "verbatim_string", Lua.LuaType.TABLE)) {
            int v = lua.getTop();
            if (field(v, "string", Lua.LuaType.STRING)) {
                String text = text(-1);
                lua.pop(2);
                out.verbatim(text);
                return;
            }
            lua.pop(1);
        }
        int n = 0;
        while (true) {
            lua.rawGetI(t, n + 1);
            boolean nil = lua.isNil(-1);
            lua.pop(1);
            if (nil) {
                break;
            }
            n++;
        }
        out.arrayHeader(n);
        for (int i = 1; i <= n; i++) {
            lua.rawGetI(t, i);
            writeLua(-1, out, scriptProtocol, depth + 1);
            lua.pop(1);
        }
    }

    /** Pushes t[name] and answers true when it has the type; otherwise pushes nothing. */
    private boolean field(int t, String name, Lua.LuaType type) {
        lua.push(name);
        lua.rawGet(t);
        if (lua.type(-1) == type) {
            return true;
        }
        lua.pop(1);
        return false;
    }

    private int countPairs(int t) {
        int n = 0;
        lua.pushNil();
        while (lua.next(t) != 0) {
            lua.pop(1);
            n++;
        }
        return n;
    }

    /** C's (long long) cast on x86-64: out-of-range and NaN become LLONG_MIN. */
    static long truncate(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    @Override
    public void close() {
        lua.close();
    }
}
