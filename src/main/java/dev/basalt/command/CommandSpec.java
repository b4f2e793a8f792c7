package dev.basalt.command;

import dev.basalt.protocol.ErrorReply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One command, declared once: name, arity (negative = at least), flags, key positions (1-based,
 * negative last = counted from the end), group, and its handler. Container commands (CONFIG,
 * CLIENT...) carry subcommands, each a spec of its own with full name "container|sub".
 */
public final class CommandSpec {
    private final String name;
    private final String fullName;
    private final int arity;
    private final Set<CommandFlag> flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final String group;
    private final String summary;
    private final String since;
    private final CommandHandler handler;
    private final KeyExtractor keyExtractor;
    private final Map<String, CommandSpec> subcommands;
    private final boolean transactionExec;
    private final int eventType;
    private final String eventName;

    private CommandSpec(Builder b, CommandSpec parent) {
        this.name = b.name;
        this.fullName = parent == null ? b.name : parent.name + "|" + b.name;
        this.arity = b.arity;
        this.flags = Collections.unmodifiableSet(b.flags);
        this.firstKey = b.firstKey;
        this.lastKey = b.lastKey;
        this.keyStep = b.keyStep;
        this.group = b.group != null ? b.group : parent != null ? parent.group : "generic";
        this.summary = b.summary;
        this.since = b.since;
        this.handler = b.handler;
        this.keyExtractor = b.keyExtractor;
        this.transactionExec = b.transactionExec;
        this.eventType = b.eventType;
        this.eventName = b.eventName;
        Map<String, CommandSpec> subs = new LinkedHashMap<>();
        for (Builder sb : b.subcommands) {
            subs.put(sb.name, new CommandSpec(sb, this));
        }
        this.subcommands = Collections.unmodifiableMap(subs);
    }

    public static Builder command(String name, int arity) {
        return new Builder(name, arity);
    }

    public String name() {
        return name;
    }

    /** "get", or "config|get" for a subcommand: the name Redis puts in errors and stats. */
    public String fullName() {
        return fullName;
    }

    public int arity() {
        return arity;
    }

    public Set<CommandFlag> flags() {
        return flags;
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public String group() {
        return group;
    }

    public String summary() {
        return summary;
    }

    public String since() {
        return since;
    }

    public CommandHandler handler() {
        return handler;
    }

    /** The keyspace event every key this command writes gets (Redis's name), or null; see {@link Builder#event}. */
    public String eventName() {
        return eventName;
    }

    /** The event's class, a {@link dev.basalt.config.KeyspaceEventFlags} bit. */
    public int eventType() {
        return eventType;
    }

    /** True for EXEC, which the dispatcher runs itself: it has no handler. */
    public boolean isTransactionExec() {
        return transactionExec;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public CommandSpec subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    public boolean arityMatches(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** True when the keys of this command are described by something other than first/last/step. */
    public boolean hasKeyExtractor() {
        return keyExtractor != null;
    }

    /** The key arguments of argv, from the key positions or the command's extractor. */
    public List<byte[]> keys(byte[][] argv) throws ErrorReply {
        if (keyExtractor != null) {
            return keyExtractor.keys(argv);
        }
        if (firstKey <= 0 || firstKey >= argv.length) {
            return List.of();
        }
        int last = lastKey >= 0 ? lastKey : argv.length + lastKey;
        last = Math.min(last, argv.length - 1);
        List<byte[]> keys = new ArrayList<>();
        for (int i = firstKey; i <= last; i += Math.max(1, keyStep)) {
            keys.add(argv[i]);
        }
        return keys;
    }

    /** Declares a command; see {@link CommandTable}. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private int firstKey;
        private int lastKey;
        private int keyStep;
        private String group;
        private String summary = "";
        private String since = "1.0.0";
        private CommandHandler handler;
        private KeyExtractor keyExtractor;
        private boolean transactionExec;
        private int eventType;
        private String eventName;
        private final List<Builder> subcommands = new ArrayList<>();

        private Builder(String name, int arity) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
        }

        public Builder flags(CommandFlag... fs) {
            Collections.addAll(flags, fs);
            return this;
        }

        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.keyStep = step;
            return this;
        }

        /** Keys found by code, for commands like ZUNIONSTORE; first/last/step are still shown by COMMAND INFO. */
        public Builder keys(KeyExtractor extractor) {
            this.keyExtractor = extractor;
            return this;
        }

        public Builder group(String g) {
            this.group = g;
            return this;
        }

        public Builder summary(String s) {
            this.summary = s;
            return this;
        }

        public Builder since(String version) {
            this.since = version;
            return this;
        }

        public Builder handler(CommandHandler h) {
            this.handler = h;
            return this;
        }

        /**
         * The keyspace notification each key the command writes gets once it committed (Redis's event
         * name and class); a key the command left empty also gets "del". Handlers add events beyond
         * this one through {@link ExecContext#notify}; commands whose keys get different events
         * declare none and say them all there.
         */
        public Builder event(int type, String name) {
            this.eventType = type;
            this.eventName = name;
            return this;
        }

        /** EXEC: run by the dispatcher (it needs the queued commands, locks and one commit), not by a handler. */
        public Builder transactionExec() {
            this.transactionExec = true;
            return this;
        }

        public Builder subcommand(Builder sub) {
            subcommands.add(sub);
            return this;
        }

        public CommandSpec build() {
            if (handler == null && subcommands.isEmpty() && !transactionExec) {
                throw new IllegalStateException("command " + name + " has no handler");
            }
            return new CommandSpec(this, null);
        }
    }
}
