package dev.basalt.util;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Sets of members kept as values of a ConcurrentHashMap (subscribers, watchers, readers of a key). */
public final class ConcurrentSets {
    private ConcurrentSets() {
    }

    /**
     * For {@code map.compute(key, (k, set) -> withMember(set, member))}: the set (a new one when absent)
     * with the member added. Adding inside compute is atomic with a compute or remove that drops the set
     * when it empties; {@code computeIfAbsent(...).add(...)} is not, and can add to a set just dropped.
     */
    public static <T> Set<T> withMember(Set<T> set, T member) {
        Set<T> s = set != null ? set : ConcurrentHashMap.newKeySet();
        s.add(member);
        return s;
    }
}
