package dev.basalt.command;

import java.util.ArrayList;
import java.util.List;

/** One client's CLIENT TRACKING settings; changed by its own thread, read by writers' threads. */
public final class Tracking {
    final boolean bcast;
    final boolean optIn;
    final boolean optOut;
    final boolean noLoop;
    /** The client the invalidations go to, 0 for the client itself. */
    final long redirect;
    /** BCAST prefixes (user-key bytes); the empty prefix stands for every key. */
    final List<byte[]> prefixes;
    /** CLIENT CACHING YES/NO for the next command: null when not given. */
    volatile Boolean caching;
    volatile boolean brokenRedirect;

    Tracking(boolean bcast, boolean optIn, boolean optOut, boolean noLoop, long redirect, List<byte[]> prefixes) {
        this.bcast = bcast;
        this.optIn = optIn;
        this.optOut = optOut;
        this.noLoop = noLoop;
        this.redirect = redirect;
        this.prefixes = prefixes;
    }

    /** Whether the keys the next read names are to be remembered (OPTIN wants CACHING YES, OPTOUT no CACHING NO). */
    boolean remembersReads() {
        if (bcast) {
            return false;
        }
        Boolean c = caching;
        return optIn ? Boolean.TRUE.equals(c) : !optOut || !Boolean.FALSE.equals(c);
    }

    boolean matchesPrefix(byte[] key) {
        for (byte[] p : prefixes) {
            if (startsWith(key, p)) {
                return true;
            }
        }
        return false;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (prefix.length > key.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The flags CLIENT TRACKINGINFO lists, in Redis's order. */
    List<String> flags() {
        List<String> f = new ArrayList<>();
        f.add("on");
        if (bcast) {
            f.add("bcast");
        }
        if (optIn) {
            f.add("optin");
        }
        if (optOut) {
            f.add("optout");
        }
        Boolean c = caching;
        if (c != null) {
            f.add(c ? "caching-yes" : "caching-no");
        }
        if (noLoop) {
            f.add("noloop");
        }
        if (brokenRedirect) {
            f.add("broken_redirect");
        }
        return f;
    }
}
