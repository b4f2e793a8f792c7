package dev.basalt.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.basalt.protocol.ErrorReply;
import dev.basalt.util.Bytes;
import org.junit.jupiter.api.Test;

/**
 * Blocking timeouts are read as Redis 7.0.15 reads them (checked against redis-server): a C long
 * double in seconds, ceil(seconds * 1000) milliseconds, and LLONG_MIN (so "negative") for anything
 * beyond the 64-bit range.
 */
class BlockingTimeoutTest {
    private static long ms(String arg) throws ErrorReply {
        return BlockRequest.parseTimeoutSeconds(Bytes.of(arg));
    }

    private static String error(String arg) {
        return assertThrows(ErrorReply.class, () -> ms(arg)).getMessage();
    }

    @Test
    void acceptedForms() throws ErrorReply {
        assertEquals(0, ms("0"));
        assertEquals(100, ms("0.1"));
        assertEquals(4350, ms("4.35"));
        assertEquals(1500, ms("1.5"));
        assertEquals(1000, ms("1."));
        assertEquals(500, ms("+.5"));
        assertEquals(10, ms("1E-2"));
        assertEquals(1, ms("0.0001"), "rounded up: a tiny timeout still times out");
        assertEquals(0, ms("-0.0001"), "rounded up to 0: waits forever, as in Redis 7.0");
        assertEquals(0, ms("-0"));
        assertEquals(16000, ms("0x10"), "strtold reads hexadecimal");
        assertEquals(32, ms("0x.8p-4"));
        assertEquals(0, ms("0e99999999999"));
        assertEquals(1_000_000_000_000_000_000L, ms("1e15"));
        assertEquals(Long.MAX_VALUE, ms("9223372036854775.807"));
    }

    @Test
    void errors() {
        String notFloat = "ERR timeout is not a float or out of range";
        String negative = "ERR timeout is negative";
        assertEquals(notFloat, error("abc"));
        assertEquals(notFloat, error(""));
        assertEquals(notFloat, error(" 1"));
        assertEquals(notFloat, error("1 "));
        assertEquals(notFloat, error("1e"));
        assertEquals(notFloat, error("0x"));
        assertEquals(notFloat, error("nan"));
        assertEquals(notFloat, error("1e4933"), "beyond the long double range");
        assertEquals(notFloat, error("1e-5000"), "underflows a long double to zero");
        assertEquals(negative, error("-1"));
        assertEquals(negative, error("inf"));
        assertEquals(negative, error("-Infinity"));
        assertEquals(negative, error("9223372036854776"), "milliseconds beyond a long");
        assertEquals(negative, error("1e400"));
    }
}
