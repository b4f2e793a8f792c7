package dev.basalt.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/** LuaBitOp's {@code bit} module (Redis ships it): 32-bit operations on Lua numbers. */
final class BitLibrary {
    private BitLibrary() {
    }

    /** Pushes the {@code bit} table. */
    static void push(Lua lua) {
        lua.createTable(0, 12);
        unary(lua, "tobit", v -> v);
        unary(lua, "bnot", v -> ~v);
        unary(lua, "bswap", Integer::reverseBytes);
        variadic(lua, "band", (a, b) -> a & b);
        variadic(lua, "bor", (a, b) -> a | b);
        variadic(lua, "bxor", (a, b) -> a ^ b);
        shift(lua, "lshift", (v, n) -> v << n);
        shift(lua, "rshift", (v, n) -> v >>> n);
        shift(lua, "arshift", (v, n) -> v >> n);
        shift(lua, "rol", Integer::rotateLeft);
        shift(lua, "ror", Integer::rotateRight);
        lua.push((JFunction) l -> {
            int v = arg(l, 1, "tohex");
            int digits = l.isNoneOrNil(2) ? 8 : arg(l, 2, "tohex");
            boolean upper = digits < 0;
            digits = Math.min(8, Math.abs(digits));
            String hex = String.format(upper ? "%08X" : "%08x", v);
            l.push(hex.substring(8 - digits));
            return 1;
        });
        lua.setField(-2, "tohex");
    }

    /** LuaBitOp's normalisation: round to an integer, keep the low 32 bits. */
    static int toBit(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Integer.MIN_VALUE;
        }
        double r = Math.rint(d) % 4294967296.0;
        return (int) (long) r;
    }

    private static int arg(Lua l, int i, String name) {
        if (!l.isNumber(i)) {
            throw new LuaRaise("bad argument #" + i + " to '" + name + "' (number expected, got "
                    + typeName(l, i) + ")");
        }
        return toBit(l.toNumber(i));
    }

    private static String typeName(Lua l, int i) {
        if (l.isNone(i)) {
            return "no value";
        }
        return switch (l.type(i)) {
            case NIL -> "nil";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case TABLE -> "table";
            case FUNCTION -> "function";
            case THREAD -> "thread";
            case USERDATA, LIGHTUSERDATA -> "userdata";
            default -> "number";
        };
    }

    private interface IntOp {
        int apply(int v);
    }

    private interface BinOp {
        int apply(int a, int b);
    }

    private static void unary(Lua lua, String name, IntOp op) {
        lua.push((JFunction) l -> {
            l.push(op.apply(arg(l, 1, name)));
            return 1;
        });
        lua.setField(-2, name);
    }

    private static void variadic(Lua lua, String name, BinOp op) {
        lua.push((JFunction) l -> {
            int n = l.getTop();
            int v = arg(l, 1, name);
            for (int i = 2; i <= n; i++) {
                v = op.apply(v, arg(l, i, name));
            }
            l.push(v);
            return 1;
        });
        lua.setField(-2, name);
    }

    private static void shift(Lua lua, String name, BinOp op) {
        lua.push((JFunction) l -> {
            int v = arg(l, 1, name);
            int n = arg(l, 2, name) & 31;
            l.push(op.apply(v, n));
            return 1;
        });
        lua.setField(-2, name);
    }
}
