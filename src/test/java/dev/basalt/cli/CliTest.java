package dev.basalt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.config.Config;
import dev.basalt.config.ConfigException;
import dev.basalt.util.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    private static Cli.Run run(String... args) throws Exception {
        return assertInstanceOf(Cli.Run.class, Cli.parse(args));
    }

    @Test
    void commandLineWinsOverTheFile() throws Exception {
        Path conf = tmp.resolve("kvrocks.conf");
        Files.writeString(conf, "port 7000\ndir ./here\ntimeout 5\n");
        Config c = run("-c", conf.toString(), "--port", "6667", "--dir", "/var/lib/basalt").config();
        assertEquals(6667, c.getInt("port"));
        assertEquals("/var/lib/basalt", c.getString("dir"));
        assertEquals(5, c.getInt("timeout"));
        assertEquals(conf, c.file());
        c = run("--conf=" + conf, "--PORT=6668").config();
        assertEquals(6668, c.getInt("port"));
    }

    @Test
    void everyDirectiveIsAnOption() throws Exception {
        Cli.Run r = run("--rocksdb.write_buffer_size", "1", "--requirepass", "x", "--bind", "127.0.0.1 ::1",
                "--slowlog-log-slower-than", "-1", "--rename-command", "KEYS k2", "--rename-command", "SCAN s2",
                "--port", "1", "--port", "2");
        Config c = r.config();
        assertEquals(1, c.getInt("rocksdb.write_buffer_size"));
        assertEquals("x", c.getString("requirepass"));
        assertEquals("127.0.0.1 ::1", c.getString("bind"));
        assertEquals(-1, c.getInt("slowlog-log-slower-than"));
        assertEquals(List.of("KEYS k2", "SCAN s2"), c.entries("rename-command"));
        assertEquals(2, c.getInt("port"));
        assertEquals(List.of(), r.warnings(), "every directive given acts");
    }

    @Test
    void withoutAFileDefaultsApply() throws Exception {
        Config c = run().config();
        assertNull(c.file());
        assertEquals(Config.defaults().snapshot(), c.snapshot());
    }

    @Test
    void usageErrorsAreOneLineNamingTheProblem() {
        assertEquals("unknown option '--no-such-flag' (see --help)",
                assertThrows(UsageException.class, () -> Cli.parse("--no-such-flag", "1")).getMessage());
        assertEquals("unexpected argument 'stray' (see --help)",
                assertThrows(UsageException.class, () -> Cli.parse("--port", "1", "stray")).getMessage());
        assertEquals("Missing required parameter for option '--port' (<port>) (see --help)",
                assertThrows(UsageException.class, () -> Cli.parse("--port")).getMessage());
        String m = assertThrows(UsageException.class, () -> Cli.parse("--port", "--dir", "x")).getMessage();
        assertTrue(m.contains("'--port'") && !m.contains("\n"), m);
    }

    @Test
    void badValuesAndUnreadableFilesAreConfigErrors() {
        assertEquals("--port: '70000' is not an integer in [0, 65535]",
                assertThrows(ConfigException.class, () -> Cli.parse("--port", "70000")).getMessage());
        assertEquals("--log-level: 'loud' is not one of debug|info|warning|error|fatal",
                assertThrows(ConfigException.class, () -> Cli.parse("--log-level", "loud")).getMessage());
        Path missing = tmp.resolve("nope.conf");
        assertEquals(missing + ": cannot read the configuration file: no such file or directory",
                assertThrows(ConfigException.class, () -> Cli.parse("-c", missing.toString())).getMessage());
    }

    @Test
    void versionAndHelp() throws Exception {
        assertEquals("basalt " + Version.VERSION, assertInstanceOf(Cli.Version.class, Cli.parse("--version")).text());
        assertEquals("basalt " + Version.VERSION, assertInstanceOf(Cli.Version.class, Cli.parse("-v")).text());
        String help = assertInstanceOf(Cli.Help.class, Cli.parse("--help")).text();
        for (String flag : List.of("-c, --conf", "--port", "--bind", "--dir", "--requirepass", "--maxclients",
                "--timeout", "--log-level", "--log-dir", "--proto-max-bulk-len", "--help", "--version")) {
            assertTrue(help.contains(flag), flag + " missing from:\n" + help);
        }
        assertFalse(help.contains("--rocksdb.block_size"), help);
        assertTrue(help.contains("--<directive> <value>"), help);
    }

    @Test
    void mainReturnsExitStatusesWithoutExiting() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(new String[] {"--version"}));
            assertEquals(Main.USAGE, Main.run(new String[] {"--bogus"}));
            assertEquals(Main.FAILED, Main.run(new String[] {"--maxclients", "-3"}));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("basalt " + Version.VERSION + "\n", o.toString(StandardCharsets.UTF_8));
        assertEquals("basalt: unknown option '--bogus' (see --help)\n"
                + "basalt: --maxclients: '-3' is not an integer in [0, 2147483647]\n", e.toString(StandardCharsets.UTF_8));
    }
}
