package dev.basalt.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Kvrocks's cron syntax: fields, lists, ranges, intervals, several schedules on one line. */
class CronTest {
    private static LocalDateTime at(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2026, month, day, hour, minute);
    }

    @Test
    void fieldsListsRangesAndIntervals() {
        Cron c = Cron.parse("0 3 * * *");
        assertTrue(c.enabled());
        assertTrue(c.matches(at(12, 2, 3, 0)));
        assertFalse(c.matches(at(12, 2, 3, 1)));
        assertFalse(c.matches(at(12, 2, 4, 0)));

        Cron every = Cron.parse("*/15 * * * *");
        assertTrue(every.matches(at(1, 1, 0, 45)));
        assertFalse(every.matches(at(1, 1, 0, 44)));

        Cron list = Cron.parse("5,10-12 0 1 1,6 *");
        assertTrue(list.matches(at(6, 1, 0, 11)));
        assertFalse(list.matches(at(6, 1, 0, 13)));
        assertFalse(list.matches(at(7, 1, 0, 5)));

        // Day of week: 0 is Sunday. 2026-12-06 is a Sunday.
        Cron sunday = Cron.parse("0 0 * * 0");
        assertTrue(sunday.matches(at(12, 6, 0, 0)));
        assertFalse(sunday.matches(at(12, 7, 0, 0)));

        // Intervals on days and months count from 1, as in Kvrocks.
        Cron odd = Cron.parse("0 0 */2 * *");
        assertTrue(odd.matches(at(1, 1, 0, 0)));
        assertFalse(odd.matches(at(1, 2, 0, 0)));

        Cron two = Cron.parse("0 1 * * * 30 2 * * *");
        assertTrue(two.matches(at(3, 3, 1, 0)));
        assertTrue(two.matches(at(3, 3, 2, 30)));
        assertFalse(two.matches(at(3, 3, 2, 0)));

        assertFalse(Cron.parse("").enabled());
        assertFalse(Cron.parse("").matches(at(1, 1, 0, 0)));
    }

    @Test
    void errorsInKvrocksWords() {
        assertEquals("cron expression format error, should only contain 5x fields",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 3 * *")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("60 * * * *")).getMessage()
                .startsWith("cron expression format error: an integer is expected in a cron expression"));
        assertEquals("cron expression format error: interval value after `*/` cannot be zero",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("*/0 * * * *")).getMessage());
        assertEquals("cron expression format error: for pattern `l-r` in cron expression, r should be larger than l",
                assertThrows(IllegalArgumentException.class, () -> Cron.parse("5-1 * * * *")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cron.parse("a * * * *"));
    }
}
