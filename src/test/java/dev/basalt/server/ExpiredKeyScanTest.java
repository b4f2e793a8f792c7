package dev.basalt.server;

import static dev.basalt.types.KeyspaceFixtures.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basalt.storage.Storage;
import dev.basalt.testutil.TempStorage;
import dev.basalt.types.KeyspaceFixtures;
import dev.basalt.util.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The expiry sweep's read side against a real Storage. */
@Timeout(60)
class ExpiredKeyScanTest {
    @RegisterExtension
    final TempStorage temp = new TempStorage();

    @Test
    void findExpiredWalksEveryNamespaceInChunks() throws Exception {
        Storage storage = temp.storage();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            KeyspaceFixtures.string(storage, NS, "live" + i, "v", 0);
        }
        KeyspaceFixtures.string(storage, NS, "gone", "v", now - 1000);
        KeyspaceFixtures.hash(storage, "tenant", "gone", now - 1000, "f", "v");
        List<String> found = new ArrayList<>();
        byte[] after = null;
        int chunks = 0;
        do {
            ExpiredKeyScan.Chunk c = ExpiredKeyScan.next(storage, after, 4);
            assertTrue(c.examined() <= 4);
            for (ExpiredKeyScan.ExpiredKey k : c.expired()) {
                found.add(k.namespace() + "/" + Bytes.str(k.key()));
            }
            after = c.resumeAfter();
            chunks++;
        } while (after != null);
        // Namespaces sort by their length byte first: "tenant" (6) before "__namespace" (11).
        assertEquals(List.of("tenant/gone", NS + "/gone"), found);
        assertEquals(3, chunks);
    }
}
