package dev.basalt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private Path write(String text) throws IOException {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, text);
        return f;
    }

    private Config load(String text, ConfigFile.Override... overrides) throws Exception {
        return ConfigFile.load(write(text), List.of(overrides), warnings::add);
    }

    private String error(String text, ConfigFile.Override... overrides) throws IOException {
        Path f = write(text);
        return assertThrows(ConfigException.class, () -> ConfigFile.load(f, List.of(overrides), warnings::add))
                .getMessage();
    }

    @Test
    void defaultsWithoutFile() throws Exception {
        Config c = ConfigFile.load(null, List.of(), warnings::add);
        assertEquals("127.0.0.1", c.getString("bind"));
        assertEquals(6666, c.getInt("port"));
        assertEquals("./data", c.getString("dir"));
        assertEquals(10000, c.getInt("maxclients"));
        assertEquals(0, c.getInt("timeout"));
        assertEquals("info", c.getString("log-level"));
        assertEquals("stdout", c.getString("log-dir"));
        assertEquals(536870912L, c.getLong("proto-max-bulk-len"));
        assertEquals("snappy", c.getString("rocksdb.compression"));
        assertNull(c.file());
        assertEquals(List.of(), warnings);
    }

    @Test
    void namesAreCaseInsensitiveAndCommentsIgnored() throws Exception {
        Config c = load("""
                # a comment
                   # an indented comment

                PORT 7001
                Log-Level WARNING   # trailing comment
                maxclients 12#no space before the comment
                rocksdb.Compression ZSTD
                """);
        assertEquals(7001, c.getInt("port"));
        assertEquals("warning", c.getString("log-level"));
        assertEquals(12, c.getInt("maxclients"));
        assertEquals("zstd", c.getString("rocksdb.compression"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void quotedValuesAndEscapes() throws Exception {
        Config c = load("""
                requirepass "a b\\"c\\\\d\\te\\n"
                masterauth 'single "quoted" # not a comment'
                pidfile "x\\qy"   # an unknown escape is dropped, as Kvrocks does
                backup-dir "it's" # comment after a quoted value
                """);
        assertEquals("a b\"c\\d\te\n", c.getString("requirepass"));
        assertEquals("single \"quoted\" # not a comment", c.getString("masterauth"));
        assertEquals("xy", c.getString("pidfile"));
        assertEquals("it's", c.getString("backup-dir"));
    }

    @Test
    void unquotedValueIsTheRestOfTheLine() throws Exception {
        Config c = load("compact-cron   0 3  * * *   # nightly\r\nrequirepass pa\"ss#word\r\n");
        assertEquals("0 3  * * *", c.getString("compact-cron"));
        assertEquals("pa\"ss", c.getString("requirepass"));
    }

    @Test
    void multiValueDirectives() throws Exception {
        Config c = load("""
                bind 127.0.0.1   ::1
                rename-command KEYS secret-keys
                rename-command FLUSHALL ""
                rename-command "CONFIG" 'my config'
                """);
        assertEquals("127.0.0.1 ::1", c.getString("bind"));
        assertEquals(List.of("KEYS secret-keys", "FLUSHALL \"\"", "CONFIG \"my config\""), c.entries("rename-command"));
        assertEquals(List.of(), warnings, "rename-command is applied, so it draws no warning");
    }

    @Test
    void namespaceNamesKeepTheirCase() throws Exception {
        Config c = load("""
                requirepass admin
                namespace.MyApp tok1
                NAMESPACE.other tok2
                """);
        assertEquals("tok1", c.get("namespace.MyApp"));
        assertNull(c.get("namespace.myapp"));
        assertEquals(Map.of("tok1", "MyApp", "tok2", "other"), c.namespaceTokens());
    }

    @Test
    void namespacesNeedADistinctPassword() throws IOException {
        Path f = tmp.resolve("kvrocks.conf");
        assertEquals(f + ":2: namespace.app: namespaces need requirepass to be set",
                error("port 1\nnamespace.app tok\n"));
        assertEquals(f + ":2: namespace.app: the namespace token must differ from requirepass",
                error("requirepass tok\nnamespace.app tok\n"));
        assertEquals(f + ":3: namespace.b: the namespace token is already used by namespace.a",
                error("requirepass p\nnamespace.a tok\nnamespace.b tok\n"));
    }

    @Test
    void unknownDirectivesWarnAndAreKept() throws Exception {
        Config c = load("port 7002\nsome-future-option  \"with value\"\n");
        assertEquals(List.of(new Config.UnknownDirective("some-future-option", "with value", 2)), c.unknownDirectives());
        assertEquals(List.of(tmp.resolve("kvrocks.conf") + ":2: unknown directive 'some-future-option' ignored"
                + " (kept in the file by CONFIG REWRITE)"), warnings);
        assertNull(c.get("some-future-option"));
    }

    @Test
    void directivesWithoutValueAreIgnoredAndLaterLinesWin() throws Exception {
        Config c = load("""
                requirepass
                log-dir ""
                port 7003
                port 7004
                """);
        assertEquals("", c.getString("requirepass"));
        assertEquals("stdout", c.getString("log-dir"));
        assertEquals(7004, c.getInt("port"));
    }

    @Test
    void sizesAcceptUnits() throws Exception {
        assertEquals(512L << 20, load("proto-max-bulk-len 512m").getLong("proto-max-bulk-len"));
        assertEquals(1L << 30, load("proto-max-bulk-len 1GB").getLong("proto-max-bulk-len"));
        assertEquals(2000000L, load("proto-max-bulk-len 2000000").getLong("proto-max-bulk-len"));
    }

    @Test
    void badValuesNameFileLineDirectiveAndReason() throws IOException {
        String f = tmp.resolve("kvrocks.conf").toString();
        String twelve = "# c\n".repeat(11) + "port 70000\n";
        assertEquals(f + ":12: port: '70000' is not an integer in [0, 65535]", error(twelve));
        assertEquals(f + ":1: maxclients: 'many' is not an integer in [0, 2147483647]", error("maxclients many"));
        assertEquals(f + ":2: daemonize: 'maybe' is not yes or no", error("port 1\ndaemonize maybe"));
        assertEquals(f + ":1: log-level: 'verbose' is not one of debug|info|warning|error|fatal",
                error("LOG-LEVEL verbose"));
        assertEquals(f + ":1: rocksdb.compression: 'lz5' is not one of no|snappy|lz4|zstd|zlib",
                error("rocksdb.compression lz5"));
        assertEquals(f + ":1: proto-max-bulk-len: '1k' is not a size in [1048576, 9223372036854775807] bytes",
                error("proto-max-bulk-len 1k"));
        assertEquals(f + ":1: proto-max-bulk-len: '12q' is not a size (a byte count, optionally with a unit K, M, G, T or P)",
                error("proto-max-bulk-len 12q"));
        assertEquals(f + ":1: timeout: '-1' is not an integer in [0, 2147483647]", error("timeout -1"));
        assertEquals(f + ":1: timeout: ' 5' is not an integer in [0, 2147483647]", error("timeout \" 5\""));
    }

    @Test
    void malformedLines() throws IOException {
        String f = tmp.resolve("kvrocks.conf").toString();
        assertEquals(f + ":2: requirepass: unterminated quoted value", error("port 1\nrequirepass \"abc\n"));
        assertEquals(f + ":1: requirepass: unexpected text after the closing quote", error("requirepass \"abc\"def"));
        assertEquals(f + ":1: port: more than one value (a quoted value must be the whole value)",
                error("port \"1\" \"2\""));
        assertEquals(f + ":1: rename-command: expects exactly two values (1 given)", error("rename-command KEYS"));
        assertEquals(f + ":1: namespace.: the namespace name is empty", error("namespace. tok"));
    }

    @Test
    void unsupportedModesAreRefused() throws IOException {
        String f = tmp.resolve("kvrocks.conf").toString();
        assertEquals(f + ":1: cluster-enabled: 'yes' is not supported: Basalt has no cluster mode",
                error("cluster-enabled yes"));
        assertEquals(f + ":1: daemonize: 'yes' is not supported: Basalt runs in the foreground; run it under a"
                + " supervisor instead", error("daemonize yes"));
        assertEquals(f + ":1: slaveof: '127.0.0.1 6379' is not supported: Basalt has no replication",
                error("slaveof 127.0.0.1 6379"));
    }

    @Test
    void unreadableFile() {
        Path missing = tmp.resolve("missing.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(missing, List.of(), warnings::add));
        assertEquals(missing + ": cannot read the configuration file: no such file or directory", e.getMessage());
    }

    @Test
    void overridesWinOverTheFile() throws Exception {
        Config c = load("port 7005\ndir /var/lib/x\nrename-command KEYS k2\n",
                new ConfigFile.Override("port", "7006"),
                new ConfigFile.Override("rocksdb.write_buffer_size", "1"),
                new ConfigFile.Override("rename-command", "SCAN s2"));
        assertEquals(7006, c.getInt("port"));
        assertEquals("/var/lib/x", c.getString("dir"));
        assertEquals(1, c.getInt("rocksdb.write_buffer_size"));
        assertEquals(List.of("KEYS k2", "SCAN s2"), c.entries("rename-command"));
        assertEquals("--port: '70000' is not an integer in [0, 65535]",
                error("port 1", new ConfigFile.Override("port", "70000")));
        assertEquals(tmp.resolve("kvrocks.conf") + ":2: namespace.n: namespaces need requirepass to be set",
                error("requirepass p\nnamespace.n tok\n", new ConfigFile.Override("requirepass", "")));
    }

    @Test
    void directivesBasaltDoesNotActOnAreRefusedAtOtherValuesThanTheirDefault() throws Exception {
        assertEquals(tmp.resolve("kvrocks.conf") + ":2: max-db-size: Basalt does not act on this directive; remove it or"
                + " set it to its default (0)", error("port 1\nmax-db-size 4\n"));
        assertEquals(tmp.resolve("kvrocks.conf") + ":1: supervised: Basalt does not act on this directive; remove it or"
                + " set it to its default (no)", error("supervised systemd\n"));
        // At their defaults they load, as in a stock kvrocks.conf.
        load("max-db-size 0\nworkers 3\nsupervised no\nprofiling-sample-ratio 0\n");
        assertEquals(List.of(), warnings);
        load("slowlog-max-len 64\n");
        assertEquals(List.of(), warnings, "SLOWLOG acts on it");
    }

    @Test
    void theShippedFileLoadsWithoutWarnings() throws Exception {
        Path shipped = Path.of("kvrocks.conf");
        Config c = ConfigFile.load(shipped, List.of(), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(shipped, c.file());
        for (Directive d : ConfigSchema.all()) {
            assertEquals(d.defaultValue(), c.getString(d.name()), d.name());
        }
    }
}
