package dev.basalt.protocol;

import java.util.List;

/**
 * A reply as a value, built by {@link ValueReply}: what a script's {@code redis.call} gets back, and
 * what tests can inspect without parsing bytes. {@link #writeTo} turns it back into the exact RESP a
 * {@link RespWriter} would have streamed.
 */
public sealed interface ReplyValue {
    /** Writes this value to a reply, as the command that built it would have. */
    void writeTo(Reply out);

    record Simple(String text) implements ReplyValue {
        public void writeTo(Reply out) {
            out.simple(text);
        }
    }

    record Error(String text) implements ReplyValue {
        public void writeTo(Reply out) {
            out.error(text);
        }
    }

    record Int(long value) implements ReplyValue {
        public void writeTo(Reply out) {
            out.integer(value);
        }
    }

    record Bulk(byte[] value) implements ReplyValue {
        public void writeTo(Reply out) {
            out.bulk(value);
        }
    }

    record Verbatim(String text) implements ReplyValue {
        public void writeTo(Reply out) {
            out.verbatim(text);
        }
    }

    /** A null: the null bulk string or, when {@code array}, the null array (the same {@code _} in RESP3). */
    record Null(boolean array) implements ReplyValue {
        public void writeTo(Reply out) {
            if (array) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
        }
    }

    record Bool(boolean value) implements ReplyValue {
        public void writeTo(Reply out) {
            out.bool(value);
        }
    }

    record Dbl(double value) implements ReplyValue {
        public void writeTo(Reply out) {
            out.dbl(value);
        }
    }

    record BigNumber(String digits) implements ReplyValue {
        public void writeTo(Reply out) {
            out.bigNumber(digits);
        }
    }

    /** An aggregate; a MAP holds its keys and values alternately. */
    record Aggregate(Kind kind, List<ReplyValue> elements) implements ReplyValue {
        public enum Kind { ARRAY, MAP, SET, PUSH }

        public void writeTo(Reply out) {
            switch (kind) {
                case ARRAY -> out.arrayHeader(elements.size());
                case MAP -> out.mapHeader(elements.size() / 2);
                case SET -> out.setHeader(elements.size());
                case PUSH -> out.pushHeader(elements.size());
            }
            for (ReplyValue e : elements) {
                e.writeTo(out);
            }
        }
    }
}
