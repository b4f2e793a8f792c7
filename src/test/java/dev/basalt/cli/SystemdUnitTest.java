package dev.basalt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped unit starts Basalt the way `make run` does and claims no readiness protocol Basalt lacks. */
class SystemdUnitTest {
    @Test
    void unitIsSimpleAndRunsTheJarWithAConfigFile() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("dist/basalt.service"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                keys.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals("simple", keys.get("Type"), "Basalt sends no sd_notify readiness");
        String exec = keys.get("ExecStart");
        assertTrue(exec.matches("\\S*java -jar \\S*basalt\\.jar -c \\S+kvrocks\\.conf.*"), exec);
        String make = Files.readString(Path.of("Makefile"));
        assertTrue(make.contains("$(JAVA) -jar $(JAR) -c $(CONF)"), "make run starts the same way");
        assertEquals("SIGTERM", keys.get("KillSignal"));
        assertEquals("/bin/kill -HUP $MAINPID", keys.get("ExecReload"));
    }
}
