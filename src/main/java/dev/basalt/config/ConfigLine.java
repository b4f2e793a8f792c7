package dev.basalt.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a kvrocks.conf, read the way Kvrocks reads it: a directive name, then its value.
 * <ul>
 *   <li>Blank lines and lines whose first non-blank character is {@code #} carry no directive.</li>
 *   <li>The name runs to the first blank or {@code #}.</li>
 *   <li>An unquoted value is the rest of the line up to the first {@code #}, trimmed; inner spaces
 *       are kept (so {@code compact-cron 0 3 * * *} has the value {@code 0 3 * * *}).</li>
 *   <li>A value starting with {@code "} or {@code '} runs to the matching quote; inside it a backslash
 *       escapes {@code \ ' "} and makes {@code t r n v f b} control characters (any other escaped
 *       character is dropped, as Kvrocks does). Only blanks or a comment may follow it.</li>
 *   <li>Directives with several values (bind, rename-command) split the value into words, each
 *       either bare or quoted ({@code rename-command KEYS ""} disables KEYS).</li>
 * </ul>
 */
public final class ConfigLine {
    private final String key;
    private final String valueText;

    private ConfigLine(String key, String valueText) {
        this.key = key;
        this.valueText = valueText;
    }

    /** Splits a line into name and value text; never fails (malformed values fail when read). */
    public static ConfigLine parse(String line) {
        int n = line.length();
        int i = skipBlanks(line, 0);
        if (i >= n || line.charAt(i) == '#') {
            return new ConfigLine(null, "");
        }
        int start = i;
        while (i < n && !isBlank(line.charAt(i)) && line.charAt(i) != '#') {
            i++;
        }
        String key = line.substring(start, i);
        if (i < n && line.charAt(i) == '#') {
            return new ConfigLine(key, "");
        }
        i = skipBlanks(line, i);
        return new ConfigLine(key, i < n && line.charAt(i) == '#' ? "" : line.substring(i));
    }

    /** True for a line with a directive; false for blank and comment lines. */
    public boolean isDirective() {
        return key != null;
    }

    /** The directive name as written (case kept). */
    public String key() {
        return key;
    }

    /** True when nothing but blanks or a comment follows the name. */
    public boolean hasNoValue() {
        return valueText.isEmpty();
    }

    /** The value of a single-valued directive. */
    public String single() throws InvalidValueException {
        if (valueText.isEmpty()) {
            return "";
        }
        if (isQuote(valueText.charAt(0))) {
            List<String> t = tokens(valueText);
            if (t.size() != 1) {
                throw new InvalidValueException("more than one value (a quoted value must be the whole value)");
            }
            return t.get(0);
        }
        int hash = valueText.indexOf('#');
        return trim(hash < 0 ? valueText : valueText.substring(0, hash));
    }

    /** The words of a multi-valued directive. */
    public List<String> words() throws InvalidValueException {
        return tokens(valueText);
    }

    /** Splits text into bare or quoted words; a {@code #} outside quotes ends it. */
    public static List<String> tokens(String text) throws InvalidValueException {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (true) {
            i = skipBlanks(text, i);
            if (i >= n || text.charAt(i) == '#') {
                return out;
            }
            char c = text.charAt(i);
            if (isQuote(c)) {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InvalidValueException("unterminated quoted value");
                    }
                    char ch = text.charAt(i++);
                    if (ch == '\\') {
                        if (i >= n) {
                            throw new InvalidValueException("unterminated quoted value");
                        }
                        char e = text.charAt(i++);
                        switch (e) {
                            case '\\', '\'', '"' -> sb.append(e);
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case 'n' -> sb.append('\n');
                            case 'v' -> sb.append('\u000B');
                            case 'f' -> sb.append('\f');
                            case 'b' -> sb.append('\b');
                            default -> {
                                // Kvrocks drops an unknown escape entirely; reading it the same way keeps
                                // values (passwords!) identical to what Kvrocks made of the same file.
                            }
                        }
                    } else if (ch == c) {
                        break;
                    } else {
                        sb.append(ch);
                    }
                }
                if (i < n && !isBlank(text.charAt(i)) && text.charAt(i) != '#') {
                    throw new InvalidValueException("unexpected text after the closing quote");
                }
                out.add(sb.toString());
            } else {
                int start = i;
                while (i < n && !isBlank(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
    }

    /** Whitespace-separated words, no quoting (for values given on the command line or by CONFIG SET). */
    public static List<String> splitWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.trim().split("[ \t\r\n\u000B\f]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** A value as it must be written so that {@link #single()} reads it back unchanged. */
    public static String quote(String v) {
        boolean needs = v.isEmpty();
        for (int i = 0; i < v.length() && !needs; i++) {
            char c = v.charAt(i);
            needs = isBlank(c) || c == '"' || c == '\'' || c == '#' || c == '\b';
        }
        if (!needs) {
            return v;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\'' -> sb.append("\\'");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\u000B' -> sb.append("\\v");
                case '\f' -> sb.append("\\f");
                case '\b' -> sb.append("\\b");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** "name value", quoting the value when needed. */
    public static String dump(String name, String value) {
        return name + " " + quote(value);
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\u000B' || c == '\f';
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (isBlank(s.charAt(a)) || s.charAt(a) == '\b')) {
            a++;
        }
        while (b > a && (isBlank(s.charAt(b - 1)) || s.charAt(b - 1) == '\b')) {
            b--;
        }
        return s.substring(a, b);
    }
}
