package dev.basalt.testutil;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Conformance tests compare with Redis 7.0.x only, and under CI they never skip. */
class RealRedisTest {
    @Test
    void onlyRedis70IsAFairComparison() {
        assertTrue(RealRedis.comparable("7.0.15"));
        assertTrue(RealRedis.comparable("7.0.0"));
        assertFalse(RealRedis.comparable("7.2.4"));
        assertFalse(RealRedis.comparable("6.2.14"));
        assertFalse(RealRedis.comparable("70.0.1"));
        assertFalse(RealRedis.comparable(null));
    }

    @Test
    void aTestThatCannotCompareFailsUnderCiAndIsSkippedElsewhere() {
        AssertionError ci = assertThrows(AssertionError.class, () -> RealRedis.cannotCompare("no redis-server", true));
        assertTrue(ci.getMessage().startsWith("no redis-server"), ci.getMessage());
        assertThrows(TestAbortedException.class, () -> RealRedis.cannotCompare("no redis-server", false));
    }

    @Test
    void theRedisServerHereIs70() {
        try (RealRedis r = RealRedis.start(); RawClient c = r.client()) {
            assertTrue(c.call("INFO", "server").contains("\r\nredis_version:7.0."));
        }
    }
}
