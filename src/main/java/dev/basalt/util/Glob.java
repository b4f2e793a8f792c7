package dev.basalt.util;

/**
 * Redis's glob matching (util.c stringmatchlen): {@code *}, {@code ?}, {@code [abc]}, {@code [^a]},
 * {@code [a-z]} and {@code \} escapes, over bytes.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(byte[] pattern, byte[] s, boolean nocase) {
        return match(pattern, 0, s, 0, nocase, 0, new boolean[1]);
    }

    public static boolean matches(String pattern, String s) {
        return matches(Bytes.of(pattern), Bytes.of(s), false);
    }

    /** True when the pattern has no special characters, so it can only match itself. */
    public static boolean isLiteral(byte[] pattern) {
        for (byte b : pattern) {
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * skipLonger is set once the pattern after some '*' matched nowhere in the rest of the string: then
     * no earlier '*' can help by taking more characters, so every pending '*' gives up (as Redis does;
     * without it patterns like "*a*a*a...b" take exponential time).
     */
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth, boolean[] skipLonger) {
        if (depth > 1000) {
            return false; // Redis also bounds recursion on pathological patterns
        }
        while (pi < p.length && si < s.length) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k < s.length; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (true) {
                        if (pi >= p.length) {
                            pi--; // Redis: an unterminated class ends at the pattern's end
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (p[pi] == s[si]) {
                                found = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                found = true;
                            }
                        } else if (nocase ? lower(p[pi] & 0xff) == lower(s[si] & 0xff) : p[pi] == s[si]) {
                            found = true;
                        }
                        pi++;
                    }
                    if (not) {
                        found = !found;
                    }
                    if (!found) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (!eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (!eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
        }
        if (si == s.length) {
            while (pi < p.length && p[pi] == '*') {
                pi++;
            }
        }
        return pi == p.length && si == s.length;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return nocase ? lower(a & 0xff) == lower(b & 0xff) : a == b;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
