package dev.basalt.types;

import java.util.List;

/**
 * One step of SCAN, HSCAN, SSCAN or ZSCAN: the elements found, and the position (a key, or an element's
 * subkey) to resume after; null when the scan is complete.
 */
public record ScanPage<E>(List<E> elements, byte[] resumeAfter) {
}
