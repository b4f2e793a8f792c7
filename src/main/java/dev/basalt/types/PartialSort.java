package dev.basalt.types;

import java.util.Comparator;

/**
 * The partial quicksort Redis sorts GEO results with when only the first few are returned (pqsort.c,
 * Bentley and McIlroy's three-way partitioning, skipping partitions that hold none of the positions
 * wanted). It is not stable: reproducing its steps is what gives equal distances Redis's order.
 */
final class PartialSort {
    private PartialSort() {
    }

    /** Sorts a so that positions from..to hold what a full sort would put there. */
    static <T> void sort(T[] a, Comparator<T> cmp, int from, int to) {
        sort(a, 0, a.length, cmp, from, to);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<T> cmp, int from, int to) {
        while (true) {
            if (n < 7) {
                for (int m = base + 1; m < base + n; m++) {
                    for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) {
                        swap(a, l, l - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = median(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = median(a, pm - d, pm, pm + d, cmp);
                    pn = median(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = median(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            while (true) {
                int c;
                while (pb <= pc && (c = cmp.compare(a[pb], a[base])) <= 0) {
                    if (c == 0) {
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (c = cmp.compare(a[pc], a[base])) >= 0) {
                    if (c == 0) {
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb++, pc--);
            }
            int end = base + n;
            int r = Math.min(pa - base, pb - pa);
            swapBlocks(a, base, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapBlocks(a, pb, end - r, r);
            int left = pb - pa;
            if (left > 1 && overlaps(base, left, from, to)) {
                sort(a, base, left, cmp, from, to);
            }
            int right = pd - pc;
            if (right <= 1) {
                return;
            }
            base = end - right;
            n = right;
            if (!overlaps(base, n, from, to)) {
                return;
            }
        }
    }

    /** True unless the positions from..to lie wholly before or wholly after [base, base + n). */
    private static boolean overlaps(int base, int n, int from, int to) {
        return !((from < base && to < base) || (from >= base + n && to >= base + n));
    }

    private static <T> int median(T[] a, int i, int j, int k, Comparator<T> cmp) {
        if (cmp.compare(a[i], a[j]) < 0) {
            return cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i);
        }
        return cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k);
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static <T> void swapBlocks(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
