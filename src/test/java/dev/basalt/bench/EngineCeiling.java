package dev.basalt.bench;

import dev.basalt.config.Config;
import dev.basalt.storage.KeyCodec;
import dev.basalt.storage.Storage;
import dev.basalt.storage.Txn;
import dev.basalt.types.StringType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Load program for make bench (not a test): the engine's ceiling on this machine. Puts and gets of
 * 3-byte string values on random keys of a million through Basalt's own storage path (its RocksDB
 * options, Kvrocks's encoding, a Txn per operation, the inline commit), with one thread per core and
 * no network. Prints operations per second for SET and GET.
 * Usage: EngineCeiling dir operations
 */
public final class EngineCeiling {
    private EngineCeiling() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        long ops = Long.parseLong(args[1]);
        Config config = Config.defaults();
        config.put("dir", dir.toString());
        try (Storage storage = Storage.open(dir, config)) {
            int threads = Runtime.getRuntime().availableProcessors();
            double set = run(storage, threads, ops, true);
            double get = run(storage, threads, ops, false);
            System.out.printf("SET,%.0f%nGET,%.0f%n", set, get);
        }
    }

    private static double run(Storage storage, int threads, long ops, boolean write) throws Exception {
        byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
        List<Thread> workers = new ArrayList<>();
        long each = ops / threads;
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                try {
                    for (long i = 0; i < each; i++) {
                        byte[] key = ("key:" + rnd.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII);
                        try (Txn txn = storage.begin(KeyCodec.DEFAULT_NAMESPACE)) {
                            StringType strings = new StringType(txn);
                            if (write) {
                                strings.set(key, value, 0);
                                storage.commit(txn);
                            } else {
                                strings.get(key);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        return each * threads / ((System.nanoTime() - start) / 1e9);
    }
}
