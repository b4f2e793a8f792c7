package dev.basalt.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link Reply} that builds {@link ReplyValue}s instead of bytes. Aggregates are filled as their
 * announced elements arrive; {@link #values()} returns the complete top-level replies in order.
 */
public final class ValueReply implements Reply {
    private record Open(ReplyValue.Aggregate.Kind kind, long expected, List<ReplyValue> elements) {
    }

    private final List<ReplyValue> done = new ArrayList<>();
    private final Deque<Open> open = new ArrayDeque<>();
    private int protocol;

    public ValueReply(int protocol) {
        this.protocol = protocol;
    }

    /** The complete replies written so far. */
    public List<ReplyValue> values() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("an aggregate is still waiting for " + (open.peek().expected()
                    - open.peek().elements().size()) + " elements");
        }
        return done;
    }

    /** The one reply written (the usual case: one command, one reply). */
    public ReplyValue single() {
        List<ReplyValue> v = values();
        if (v.size() != 1) {
            throw new IllegalStateException(v.size() + " replies, expected one");
        }
        return v.get(0);
    }

    public void clear() {
        done.clear();
        open.clear();
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public void ok() {
        add(new ReplyValue.Simple("OK"));
    }

    @Override
    public void simple(String s) {
        add(new ReplyValue.Simple(s));
    }

    @Override
    public void error(String text) {
        add(new ReplyValue.Error(text.replace('\r', ' ').replace('\n', ' ')));
    }

    @Override
    public void integer(long v) {
        add(new ReplyValue.Int(v));
    }

    @Override
    public void bulk(byte[] v) {
        add(v == null ? new ReplyValue.Null(false) : new ReplyValue.Bulk(v));
    }

    @Override
    public void verbatim(String text) {
        add(new ReplyValue.Verbatim(text));
    }

    @Override
    public void nullBulk() {
        add(new ReplyValue.Null(false));
    }

    @Override
    public void nullArray() {
        add(new ReplyValue.Null(true));
    }

    @Override
    public void arrayHeader(long n) {
        begin(ReplyValue.Aggregate.Kind.ARRAY, n);
    }

    @Override
    public void mapHeader(long n) {
        begin(ReplyValue.Aggregate.Kind.MAP, 2 * n);
    }

    @Override
    public void setHeader(long n) {
        begin(ReplyValue.Aggregate.Kind.SET, n);
    }

    @Override
    public void pushHeader(long n) {
        begin(ReplyValue.Aggregate.Kind.PUSH, n);
    }

    @Override
    public void bool(boolean b) {
        add(new ReplyValue.Bool(b));
    }

    @Override
    public void dbl(double d) {
        add(new ReplyValue.Dbl(d));
    }

    /** In RESP3 the value (its text form is not kept), in RESP2 the bulk string it is sent as. */
    @Override
    public void dblText(String text) {
        if (protocol == 3) {
            add(new ReplyValue.Dbl(Double.parseDouble(text)));
        } else {
            bulk(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** In RESP3 the big number, in RESP2 the bulk string it is sent as. */
    @Override
    public void bigNumber(String digits) {
        if (protocol == 3) {
            add(new ReplyValue.BigNumber(digits));
        } else {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void begin(ReplyValue.Aggregate.Kind kind, long n) {
        if (n < 0) {
            nullArray();
            return;
        }
        open.push(new Open(kind, n, new ArrayList<>((int) Math.min(n, 1024))));
        closeFinished();
    }

    private void add(ReplyValue v) {
        if (open.isEmpty()) {
            done.add(v);
            return;
        }
        open.peek().elements().add(v);
        closeFinished();
    }

    /** Closes every aggregate whose elements are all there, innermost first. */
    private void closeFinished() {
        while (!open.isEmpty() && open.peek().elements().size() == open.peek().expected()) {
            Open o = open.pop();
            ReplyValue agg = new ReplyValue.Aggregate(o.kind(), o.elements());
            if (open.isEmpty()) {
                done.add(agg);
            } else {
                open.peek().elements().add(agg);
            }
        }
    }
}
