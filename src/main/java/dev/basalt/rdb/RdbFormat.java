package dev.basalt.rdb;

/** The type codes and opcodes of Redis's RDB format (rdb.h), as Redis 7.0 reads and writes them. */
final class RdbFormat {
    private RdbFormat() {
    }

    /** The RDB version Redis 7.0 writes: its DUMP payloads carry it, and RESTORE refuses anything newer. */
    static final int VERSION = 10;
    /** The newest file version RDB LOAD reads (Redis 7.2's: set listpacks, streams with active times). */
    static final int NEWEST_FILE_VERSION = 11;

    static final int STRING = 0;
    static final int LIST = 1;
    static final int SET = 2;
    static final int ZSET = 3;
    static final int HASH = 4;
    static final int ZSET_2 = 5;
    static final int MODULE_PRE_GA = 6;
    static final int MODULE_2 = 7;
    static final int HASH_ZIPMAP = 9;
    static final int LIST_ZIPLIST = 10;
    static final int SET_INTSET = 11;
    static final int ZSET_ZIPLIST = 12;
    static final int HASH_ZIPLIST = 13;
    static final int LIST_QUICKLIST = 14;
    static final int STREAM_LISTPACKS = 15;
    static final int HASH_LISTPACK = 16;
    static final int ZSET_LISTPACK = 17;
    static final int LIST_QUICKLIST_2 = 18;
    static final int STREAM_LISTPACKS_2 = 19;
    static final int SET_LISTPACK = 20;
    static final int STREAM_LISTPACKS_3 = 21;

    static final int OPCODE_FUNCTION2 = 245;
    static final int OPCODE_FUNCTION_PRE_GA = 246;
    static final int OPCODE_MODULE_AUX = 247;
    static final int OPCODE_IDLE = 248;
    static final int OPCODE_FREQ = 249;
    static final int OPCODE_AUX = 250;
    static final int OPCODE_RESIZEDB = 251;
    static final int OPCODE_EXPIRETIME_MS = 252;
    static final int OPCODE_EXPIRETIME = 253;
    static final int OPCODE_SELECTDB = 254;
    static final int OPCODE_EOF = 255;

    /** Module values' opcodes (RDB_MODULE_OPCODE_*). */
    static final int MODULE_OPCODE_EOF = 0;
    static final int MODULE_OPCODE_SINT = 1;
    static final int MODULE_OPCODE_UINT = 2;
    static final int MODULE_OPCODE_FLOAT = 3;
    static final int MODULE_OPCODE_DOUBLE = 4;
    static final int MODULE_OPCODE_STRING = 5;

    /** Quicklist 2 node containers. */
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;

    /** Stream listpack entry flags. */
    static final int STREAM_ITEM_DELETED = 1;
    static final int STREAM_ITEM_SAMEFIELDS = 2;

    static boolean isObjectType(int t) {
        return t >= STRING && t <= ZSET_2 || t >= MODULE_2 && t <= STREAM_LISTPACKS_3 && t != 8;
    }
}
