package dev.basalt.testutil;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Storage on a fresh temporary directory with small caches, for unit tests of storage and types. */
public final class TempStorage implements AutoCloseable {
    private final Path dir;
    private final Storage storage;

    private TempStorage(Path dir, Storage storage) {
        this.dir = dir;
        this.storage = storage;
    }

    /** Opens with the defaults plus small caches, then the given directive/value pairs. */
    public static TempStorage open(String... directiveValuePairs) {
        try {
            Path dir = Files.createTempDirectory("basalt-unit");
            Config c = Config.defaults();
            c.put("rocksdb.block_cache_size", "8");
            c.put("rocksdb.write_buffer_size", "4");
            for (int i = 0; i + 1 < directiveValuePairs.length; i += 2) {
                c.put(directiveValuePairs[i], directiveValuePairs[i + 1]);
            }
            return new TempStorage(dir, Storage.open(dir, c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.basalt.storage.StorageException e) {
            throw new IllegalStateException(e);
        }
    }

    public Storage storage() {
        return storage;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        storage.close();
        TestServer.deleteTree(dir);
    }
}
