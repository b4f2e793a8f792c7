package dev.basalt.util;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Kvrocks's cron schedules ({@code compact-cron}, {@code bgsave-cron}, {@code dbsize-scan-cron}): groups of
 * five fields (minute, hour, day of month, month, day of week), each {@code *}, {@code *}/n, or a
 * comma-separated list of numbers and ranges {@code l-r}. Several groups may follow each other on one line;
 * the schedule matches a minute when any group does. An interval counts from the field's first value, as in
 * Kvrocks (day of month and month from 1).
 */
public final class Cron {
    /** One field: null values means "*". */
    private record Field(int interval, List<int[]> values) {
        boolean matches(int v, int offset) {
            if (interval > 0) {
                return (v - offset) % interval == 0;
            }
            if (values == null) {
                return true;
            }
            for (int[] r : values) {
                if (r[0] <= v && v <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Schedule(Field minute, Field hour, Field mday, Field month, Field wday) {
        boolean matches(LocalDateTime t) {
            return minute.matches(t.getMinute(), 0) && hour.matches(t.getHour(), 0)
                    && mday.matches(t.getDayOfMonth(), 1) && month.matches(t.getMonthValue(), 1)
                    && wday.matches(t.getDayOfWeek().getValue() % 7, 0);
        }
    }

    private final List<Schedule> schedules;

    private Cron(List<Schedule> schedules) {
        this.schedules = schedules;
    }

    /** The schedule written on a line (empty: never); IllegalArgumentException says what is wrong, in Kvrocks's words. */
    public static Cron parse(String text) {
        String trimmed = text.trim();
        String[] words = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (words.length % 5 != 0) {
            throw new IllegalArgumentException("cron expression format error, should only contain 5x fields");
        }
        List<Schedule> list = new ArrayList<>();
        for (int i = 0; i < words.length; i += 5) {
            try {
                list.add(new Schedule(field(words[i], 0, 59), field(words[i + 1], 0, 23), field(words[i + 2], 1, 31),
                        field(words[i + 3], 1, 12), field(words[i + 4], 0, 6)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cron expression format error: " + e.getMessage());
            }
        }
        return new Cron(List.copyOf(list));
    }

    private static Field field(String s, int min, int max) {
        if (s.equals("*")) {
            return new Field(0, null);
        }
        if (s.startsWith("*/")) {
            int n = number(s.substring(2), min, max, "an integer is expected after `*/` in a cron expression");
            if (n == 0) {
                throw new IllegalArgumentException("interval value after `*/` cannot be zero");
            }
            return new Field(n, null);
        }
        List<int[]> values = new ArrayList<>();
        for (String part : s.split(",")) {
            int dash = part.indexOf('-');
            if (dash >= 0) {
                int l = number(part.substring(0, dash), min, max, "an integer is expected before `-` in a cron expression");
                int r = number(part.substring(dash + 1), min, max, "an integer is expected after `-` in a cron expression");
                if (l >= r) {
                    throw new IllegalArgumentException("for pattern `l-r` in cron expression, r should be larger than l");
                }
                values.add(new int[] {l, r});
            } else {
                int n = number(part, min, max, "an integer is expected in a cron expression");
                values.add(new int[] {n, n});
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("invalid cron expression");
        }
        return new Field(0, values);
    }

    private static int number(String s, int min, int max, String what) {
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": not an integer: '" + s + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + ": out of numeric range [" + min + ", " + max + "]");
        }
        return n;
    }

    /** False for an empty schedule. */
    public boolean enabled() {
        return !schedules.isEmpty();
    }

    /** True when the minute of t is one of the schedule's. */
    public boolean matches(LocalDateTime t) {
        for (Schedule s : schedules) {
            if (s.matches(t)) {
                return true;
            }
        }
        return false;
    }
}
