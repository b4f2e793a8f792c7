package dev.basalt.types;

import static dev.basalt.types.KeyspaceFixtures.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.command.ServerStats;
import dev.basalt.server.ExpirySweeper;
import dev.basalt.storage.ColumnFamily;
import dev.basalt.storage.KeyLocks;
import dev.basalt.storage.Storage;
import dev.basalt.testutil.Await;
import dev.basalt.testutil.TempStorage;
import dev.basalt.util.Bytes;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The background expiry sweep over a real Storage, without the server around it. */
class KeyspaceSweepTest {
    private Path dir;
    @RegisterExtension
    final TempStorage temp = new TempStorage();
    private Storage storage;
    private final ServerStats stats = new ServerStats();

    @BeforeEach
    void open() throws Exception {
        storage = temp.storage();
        dir = temp.dir();
    }

    private static long past() {
        return System.currentTimeMillis() - 1000;
    }

    @Test
    void aRoundDeletesExpiredKeysOfEveryTypeAndNamespaceWithTheirSubkeys() throws Exception {
        KeyspaceFixtures.string(storage, NS, "s", "v", past());
        KeyspaceFixtures.hash(storage, NS, "h", past(), "a", "1", "b", "2");
        KeyspaceFixtures.zset(storage, NS, "z", past(), 1, "m");
        KeyspaceFixtures.list(storage, "tenant", "l", past(), "x", "y");
        KeyspaceFixtures.string(storage, NS, "live", "v", 0);
        long liveVersion = KeyspaceFixtures.set(storage, NS, "future", System.currentTimeMillis() + 3_600_000, "m");
        ExpirySweeper sweeper = new ExpirySweeper(storage, stats, 1000);
        assertEquals(4, sweeper.sweepRound());
        assertEquals(4, stats.expiredKeys.sum());
        assertEquals(2, KeyspaceFixtures.entries(storage, ColumnFamily.METADATA).size());
        assertEquals(List.of("m"), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "future", liveVersion));
        assertEquals(1, KeyspaceFixtures.entries(storage, ColumnFamily.DEFAULT).size());
        assertEquals(List.of(), KeyspaceFixtures.entries(storage, ColumnFamily.ZSET_SCORE));
        assertEquals(0, sweeper.sweepRound());
    }

    @Test
    void largeKeyspacesAreCoveredAcrossChunksAndRounds() throws Exception {
        int n = 3 * 16_384 / 2;
        try (var t = storage.begin(NS)) {
            Keyspace ks = new Keyspace(t);
            for (int i = 0; i < n; i++) {
                long expireAt = i % 3 == 0 ? past() : 0;
                ks.putMetadata(Bytes.of("k" + i), new StringMetadata(expireAt, Bytes.of("v")));
            }
            storage.commit(t);
        }
        ExpirySweeper sweeper = new ExpirySweeper(storage, stats, 1000);
        long first = sweeper.sweepRound();
        // One round examines at most 16384 entries; the next continues where it stopped.
        assertTrue(first > 0 && first < n / 3, "first round " + first);
        long second = sweeper.sweepRound();
        assertEquals(n / 3, first + second);
        assertEquals(n - n / 3, KeyspaceFixtures.entries(storage, ColumnFamily.METADATA).size());
    }

    @Test
    void aKeyChangedUnderItsLockIsReCheckedNotDeleted() throws Exception {
        KeyspaceFixtures.string(storage, NS, "k", "v", past());
        ExpirySweeper sweeper = new ExpirySweeper(storage, stats, 1000);
        CompletableFuture<Long> round;
        // A client holds the key's lock while it gives the key a new life.
        try (KeyLocks.Held held = storage.locks().lock(List.of(Bytes.of("k")))) {
            round = CompletableFuture.supplyAsync(() -> {
                try {
                    return sweeper.sweepRound();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                round.get(300, TimeUnit.MILLISECONDS);
                throw new AssertionError("the sweep did not wait for the key's lock");
            } catch (TimeoutException expected) {
                // waiting, as it should
            }
            KeyspaceFixtures.string(storage, NS, "k", "renewed", 0);
        }
        assertEquals(0, round.get(10, TimeUnit.SECONDS));
        assertEquals("renewed", Bytes.str(((StringMetadata) KeyspaceFixtures.rawMetadata(storage, NS, "k")).value()));
        assertEquals(0, stats.expiredKeys.sum());
    }

    @Test
    void theBackgroundThreadSweepsAndStops() throws Exception {
        long version = KeyspaceFixtures.hash(storage, NS, "h", System.currentTimeMillis() + 150, "f", "v");
        ExpirySweeper sweeper = new ExpirySweeper(storage, stats, 20);
        Set<Thread> before = sweeperThreads();
        sweeper.start();
        Set<Thread> started = sweeperThreads();
        started.removeAll(before);
        assertEquals(1, started.size(), "start() runs one sweeper thread");
        Thread thread = started.iterator().next();
        try {
            Await.until("the sweep deletes the expired hash", () -> {
                try {
                    return KeyspaceFixtures.rawMetadata(storage, NS, "h") == null;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            sweeper.stop();
        }
        assertEquals(List.of(), KeyspaceFixtures.subkeys(storage, NS, ColumnFamily.DEFAULT, "h", version));
        assertEquals(1, stats.expiredKeys.sum());
        // stop() returned with the sweeper thread ended, so nothing is left to delete a key expiring now.
        assertFalse(thread.isAlive(), "the sweeper thread ended");
        KeyspaceFixtures.string(storage, NS, "later", "v", past());
        assertNotNull(KeyspaceFixtures.rawMetadata(storage, NS, "later"));
        assertEquals(1, stats.expiredKeys.sum());
    }

    /** The live threads named as ExpirySweeper names its thread. */
    private static Set<Thread> sweeperThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("basalt-expiry-sweeper")) {
                out.add(t);
            }
        }
        return out;
    }
}
