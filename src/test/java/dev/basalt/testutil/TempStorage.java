package dev.basalt.testutil;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Storage on a fresh temporary directory with small caches, for unit tests of storage and types:
 * {@code @RegisterExtension final TempStorage temp = new TempStorage();} opens one for every test and
 * removes it afterwards; {@link #open} makes one by hand.
 */
public final class TempStorage implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private final String[] directiveValuePairs;
    private Path dir;
    private Storage storage;

    /** The defaults plus small caches, then the given directive/value pairs. */
    public TempStorage(String... directiveValuePairs) {
        this.directiveValuePairs = directiveValuePairs;
    }

    public static TempStorage open(String... directiveValuePairs) {
        TempStorage t = new TempStorage(directiveValuePairs);
        t.openNow();
        return t;
    }

    private void openNow() {
        try {
            dir = Files.createTempDirectory("basalt-unit");
            Config c = Config.defaults();
            c.put("rocksdb.block_cache_size", "8");
            c.put("rocksdb.write_buffer_size", "4");
            for (int i = 0; i + 1 < directiveValuePairs.length; i += 2) {
                c.put(directiveValuePairs[i], directiveValuePairs[i + 1]);
            }
            storage = Storage.open(dir, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.basalt.storage.StorageException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        openNow();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    public Storage storage() {
        return storage;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
        if (dir != null) {
            TestServer.deleteTree(dir);
            dir = null;
        }
    }
}
