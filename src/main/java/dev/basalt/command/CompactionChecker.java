package dev.basalt.command;

import dev.basalt.config.Config;
import dev.basalt.storage.Storage;
import dev.basalt.storage.StorageException;
import dev.basalt.util.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kvrocks's compaction checker (compaction-checker-cron): in each column family it compacts the key range of
 * SST files full of deletions, so the space of deleted keys comes back without a full COMPACT. A file older
 * than force-compact-file-age with at least force-compact-file-min-deleted-percentage deletions is compacted
 * at once (up to one file in 360 per run, at least one); otherwise the file older than an hour with the most
 * deletions is, when more than a tenth of its entries are deletions. Kvrocks counts deleted keys with its own
 * table property collector; Basalt uses RocksDB's count of deletion entries in the file.
 */
final class CompactionChecker {
    private static final String[] SKIPPED = {"propagate", "pubsub"};
    private static final double BEST_RATIO_FLOOR = 0.1;
    private static final long YOUNG_SECONDS = 3600;

    private CompactionChecker() {
    }

    /** One run over every column family but propagate and pubsub; returns the files compacted, for tests and logs. */
    static List<String> run(Storage storage, Config config, long nowSecs) {
        Map<String, List<Storage.SstFile>> byFamily = new TreeMap<>();
        for (Storage.SstFile f : storage.sstFiles()) {
            byFamily.computeIfAbsent(f.family(), k -> new ArrayList<>()).add(f);
        }
        long forceAge = config.getLong("force-compact-file-age");
        double forceRatio = config.getLong("force-compact-file-min-deleted-percentage") / 100.0;
        List<String> compacted = new ArrayList<>();
        for (Map.Entry<String, List<Storage.SstFile>> e : byFamily.entrySet()) {
            if (List.of(SKIPPED).contains(e.getKey()) || e.getValue().size() <= 1) {
                continue; // with one file or none there is nothing worth reclaiming
            }
            List<Storage.SstFile> files = e.getValue();
            int budget = Math.max(1, files.size() / 360);
            Storage.SstFile best = null;
            double bestRatio = 0;
            for (Storage.SstFile f : files) {
                if (budget == 0) {
                    break;
                }
                if (f.entries() == 0) {
                    continue;
                }
                double ratio = (double) f.deletions() / f.entries();
                if (f.modifiedSecs() < nowSecs - forceAge && ratio >= forceRatio) {
                    compact(storage, f, compacted);
                    budget--;
                    continue;
                }
                if (f.modifiedSecs() > nowSecs - YOUNG_SECONDS) {
                    continue;
                }
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    best = f;
                }
            }
            if (budget > 0 && best != null && bestRatio > BEST_RATIO_FLOOR) {
                compact(storage, best, compacted);
            }
        }
        return compacted;
    }

    private static void compact(Storage storage, Storage.SstFile f, List<String> compacted) {
        Log.info("[compaction checker] Going to compact the key in file: " + f.name() + " (" + f.family() + ", "
                + f.deletions() + " deletions of " + f.entries() + " entries)");
        try {
            storage.compactFamily(f.family(), f.smallestKey(), f.largestKey());
            compacted.add(f.family() + "/" + f.name());
        } catch (StorageException e) {
            Log.warn("[compaction checker] Compacting the keys of " + f.name() + " failed: " + e.getMessage());
        }
    }

    /** Once a day while the checker is on, as Kvrocks: a full compaction of the propagate and pubsub families. */
    static void compactPropagateAndPubSub(Storage storage) {
        for (String family : SKIPPED) {
            try {
                storage.compactFamily(family, null, null);
            } catch (StorageException e) {
                Log.warn("[compaction checker] Compacting " + family + " failed: " + e.getMessage());
            }
        }
    }
}
