package dev.basalt.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.config.ConfigSchema;
import dev.basalt.config.Directive;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every rocksdb.* directive CONFIG SET accepts reaches RocksDB (or is read per commit); no other does. */
class LiveOptionsTest {
    @Test
    void mutableRocksDirectivesAreExactlyTheLiveOnes() {
        Set<String> mutable = new TreeSet<>();
        for (Directive d : ConfigSchema.all()) {
            if (d.name().startsWith("rocksdb.") && d.mutable()) {
                mutable.add(d.name());
            }
        }
        Set<String> live = new TreeSet<>(LiveOptions.names());
        // Read from the configuration on every commit rather than given to RocksDB.
        live.add("rocksdb.write_options.write_batch_max_bytes");
        assertEquals(live, mutable);
    }
}
