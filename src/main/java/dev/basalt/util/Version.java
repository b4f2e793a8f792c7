package dev.basalt.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, from the build. */
public final class Version {
    public static final String VERSION = load();
    /** The Redis version Basalt answers as (HELLO, INFO redis_version), for client libraries that check it. */
    public static final String REDIS_COMPAT_VERSION = "7.0.0";

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/basalt-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "0.0.0-dev");
        } catch (IOException e) {
            return "0.0.0-dev";
        }
    }
}
