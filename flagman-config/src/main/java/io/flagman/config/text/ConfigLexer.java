package io.flagman.config.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits one line into words with HAProxy's rules: words are separated by spaces and tabs; {@code #} outside
 * quotes starts a comment; single quotes are literal; double quotes allow backslash escapes and
 * {@code ${VAR}} / {@code $VAR} expansion; outside quotes a backslash escapes the next character
 * ({@code \n \r \t \xHH} are decoded; before a space, {@code #}, a quote, {@code $} or a backslash the
 * backslash is dropped; before anything else it is kept, as HAProxy does, so regexes keep their escapes). Quotes may start or end in the middle of a word.
 */
public final class ConfigLexer {

    private final Function<String, String> environment;

    /** @param environment looks up environment variables for {@code "${VAR}"}; returns null when unset */
    public ConfigLexer(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The result of splitting one line. {@code error} is null when the line is well formed. */
    public record Result(List<Token> words, String comment, String error, int errorColumn) {}

    public Result split(String line) {
        List<Token> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return new Result(words, null, null, 0);
            }
            if (line.charAt(i) == '#') {
                return new Result(words, line.substring(i + 1), null, 0);
            }
            int start = i;
            StringBuilder value = new StringBuilder();
            char quote = 0;
            int quoteStart = 0;
            while (i < n) {
                char c = line.charAt(i);
                if (quote == '\'') {
                    if (c == '\'') {
                        quote = 0;
                    } else {
                        value.append(c);
                    }
                    i++;
                    continue;
                }
                if (quote == 0 && (isSpace(c) || c == '#')) {
                    break;
                }
                if (c == '\'' && quote == 0) {
                    quote = '\'';
                    quoteStart = i;
                    i++;
                } else if (c == '"') {
                    if (quote == 0) {
                        quote = '"';
                        quoteStart = i;
                    } else {
                        quote = 0;
                    }
                    i++;
                } else if (c == '\\') {
                    if (i + 1 >= n) {
                        return error(words, "line ends with a backslash", i + 1);
                    }
                    char e = line.charAt(i + 1);
                    switch (e) {
                        case 'n' -> value.append('\n');
                        case 'r' -> value.append('\r');
                        case 't' -> value.append('\t');
                        case 'x' -> {
                            if (i + 3 >= n || hex(line.charAt(i + 2)) < 0 || hex(line.charAt(i + 3)) < 0) {
                                return error(words, "invalid '\\x' escape (expected two hex digits)", i + 1);
                            }
                            value.append((char) (hex(line.charAt(i + 2)) * 16 + hex(line.charAt(i + 3))));
                            i += 2;
                        }
                        // Like HAProxy, only characters with a special meaning lose their backslash; any other
                        // pair is kept as written, so a regex such as "^a\\.b$" reaches the matcher intact.
                        case '\\', ' ', '#', '"', '\'', '$' -> value.append(e);
                        default -> value.append('\\').append(e);
                    }
                    i += 2;
                } else if (c == '$' && quote == '"') {
                    int end = expand(line, i, value);
                    if (end < 0) {
                        return error(words, "unterminated '${' variable reference", i + 1);
                    }
                    i = end;
                } else {
                    value.append(c);
                    i++;
                }
            }
            if (quote != 0) {
                return error(words, "unterminated " + (quote == '"' ? "double" : "single") + " quote",
                        quoteStart + 1);
            }
            words.add(new Token(value.toString(), start + 1, line.substring(start, i)));
        }
    }

    /** Expands {@code $VAR} or {@code ${VAR}} at {@code at}; returns the index after it, or -1. */
    private int expand(String line, int at, StringBuilder out) {
        int n = line.length();
        String name;
        int end;
        if (at + 1 < n && line.charAt(at + 1) == '{') {
            int close = line.indexOf('}', at + 2);
            if (close < 0) {
                return -1;
            }
            name = line.substring(at + 2, close);
            end = close + 1;
        } else {
            int j = at + 1;
            while (j < n && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) {
                j++;
            }
            if (j == at + 1) {
                out.append('$');
                return at + 1;
            }
            name = line.substring(at + 1, j);
            end = j;
        }
        String v = environment.apply(name);
        if (v != null) {
            out.append(v);
        }
        return end;
    }

    private static Result error(List<Token> words, String message, int column) {
        return new Result(words, null, message, column);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /**
     * Writes {@code value} as one word that this lexer reads back unchanged: bare when it needs no quoting,
     * single-quoted when it holds no single quote, double-quoted with escapes otherwise.
     */
    public static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '#' || c == '\''
                || c == '"' || c == '\\' || c < 0x20)) {
            return value;
        }
        if (value.indexOf('\'') < 0 && value.chars().noneMatch(c -> c < 0x20)) {
            return "'" + value + "'";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"', '\\', '$' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
