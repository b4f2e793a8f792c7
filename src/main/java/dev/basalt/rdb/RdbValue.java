package dev.basalt.rdb;

import dev.basalt.types.StreamImage;
import java.util.List;

/** One value decoded from Redis's serialization format, in the shape of the Basalt type it becomes. */
public sealed interface RdbValue {
    /** What Redis's TYPE answers for it (or the module type's name). */
    String typeName();

    /** True for a collection with no elements, which Redis neither restores nor loads (a stream may be empty). */
    default boolean isEmptyCollection() {
        return RdbDecoder.isEmpty(this);
    }

    /** A string (bitmaps and HyperLogLogs are strings to Redis). */
    record StringValue(byte[] value) implements RdbValue {
        @Override
        public String typeName() {
            return "string";
        }
    }

    record ListValue(List<byte[]> elements) implements RdbValue {
        @Override
        public String typeName() {
            return "list";
        }
    }

    /** Distinct members. */
    record SetValue(List<byte[]> members) implements RdbValue {
        @Override
        public String typeName() {
            return "set";
        }
    }

    /** Distinct fields, each followed by its value. */
    record HashValue(List<byte[]> fieldsAndValues) implements RdbValue {
        @Override
        public String typeName() {
            return "hash";
        }
    }

    /** Distinct members and their scores. */
    record ZSetValue(List<byte[]> members, double[] scores) implements RdbValue {
        @Override
        public String typeName() {
            return "zset";
        }
    }

    record StreamValue(StreamImage image) implements RdbValue {
        @Override
        public String typeName() {
            return "stream";
        }
    }

    /** A value of a module's type, which Basalt cannot hold: only its name is kept, to report it. */
    record ModuleValue(String moduleType) implements RdbValue {
        @Override
        public String typeName() {
            return moduleType;
        }
    }
}
