package dev.basalt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRewriteTest {
    @TempDir
    Path tmp;

    @Test
    void keepsCommentsOrderAndUnknownLinesAndUpdatesInPlace() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, """
                # Basalt test configuration
                bind 127.0.0.1 ::1

                # the port
                port 7100   # keep this comment
                MaxClients 50
                future-directive  "something new"
                maxclients 60
                proto-max-bulk-len 512m
                rename-command KEYS hidden-keys
                requirepass "old pass"
                # the end
                """);
        Config c = ConfigFile.load(f, List.of(), w -> { });
        c.setAtRuntime(List.of("maxclients", "77", "timeout", "9", "requirepass", "new pass",
                "slowlog-max-len", "128"));
        ConfigFile.rewrite(c);
        assertEquals("""
                # Basalt test configuration
                bind 127.0.0.1 ::1

                # the port
                port 7100   # keep this comment
                maxclients 77
                future-directive  "something new"
                proto-max-bulk-len 512m
                rename-command KEYS hidden-keys
                requirepass "new pass"
                # the end
                timeout 9
                """, Files.readString(f));
        Config reread = ConfigFile.load(f, List.of(), w -> { });
        assertEquals(c.snapshot(), reread.snapshot());
    }

    @Test
    void valuesBackToEmptyDropTheirLine() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, "requirepass secret\nport 7101\n");
        Config c = ConfigFile.load(f, List.of(), w -> { });
        c.setAtRuntime(List.of("requirepass", ""));
        ConfigFile.rewrite(c);
        assertEquals("port 7101\n", Files.readString(f));
    }

    @Test
    void valuesThatNeedQuotingAreQuoted() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, "port 7102\n");
        Config c = ConfigFile.load(f, List.of(), w -> { });
        c.setAtRuntime(List.of("requirepass", "a \"b\" #c\\d"));
        ConfigFile.rewrite(c);
        assertEquals("port 7102\nrequirepass \"a \\\"b\\\" #c\\\\d\"\n", Files.readString(f));
        assertEquals("a \"b\" #c\\d", ConfigFile.load(f, List.of(), w -> { }).getString("requirepass"));
    }

    @Test
    void commandLineValuesArePersisted() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, "# only a comment\n");
        Config c = ConfigFile.load(f, List.of(new ConfigFile.Override("port", "7103"),
                new ConfigFile.Override("bind", "0.0.0.0 ::")), w -> { });
        ConfigFile.rewrite(c);
        assertEquals("# only a comment\nbind 0.0.0.0 ::\nport 7103\n", Files.readString(f));
    }

    @Test
    void thePermissionsOfTheFileAreKept() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, "requirepass secret\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Config c = ConfigFile.load(f, List.of(), w -> { });
        c.setAtRuntime(List.of("requirepass", "other"));
        ConfigFile.rewrite(c);
        assertEquals("requirepass other\n", Files.readString(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aVanishedFileIsWrittenAfresh() throws Exception {
        Path f = tmp.resolve("kvrocks.conf");
        Files.writeString(f, "port 7104\n");
        Config c = ConfigFile.load(f, List.of(), w -> { });
        Files.delete(f);
        ConfigFile.rewrite(c);
        assertEquals("port 7104\n", Files.readString(f));
    }

    @Test
    void setAtRuntimeIsAtomic() throws Exception {
        Config c = Config.defaults();
        ConfigSetException e = assertThrows(ConfigSetException.class,
                () -> c.setAtRuntime(List.of("timeout", "5", "maxclients", "lots")));
        assertEquals("CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed"
                + " into an integer", e.getMessage());
        assertEquals("0", c.getString("timeout"));
        e = assertThrows(ConfigSetException.class, () -> c.setAtRuntime(List.of("timeout", "5", "Port", "1")));
        assertEquals("CONFIG SET failed (possibly related to argument 'Port') - can't set immutable config",
                e.getMessage());
        assertEquals("0", c.getString("timeout"));
        c.setAtRuntime(List.of("timeout", "5", "MAXCLIENTS", "007"));
        assertEquals("5", c.getString("timeout"));
        assertEquals("7", c.getString("maxclients"));
    }
}
