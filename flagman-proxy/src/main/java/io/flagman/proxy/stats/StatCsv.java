package io.flagman.proxy.stats;

import java.util.List;

/**
 * {@code show stat} as HAProxy's CSV, byte for byte: the header {@code # pxname,svname,…,proto,-,ssl_sess,…,}, then
 * one line per row laid out the same (the {@code -} column included), every cell followed by {@code ,}. Empty cells
 * are nothing between the commas. The CLI's trailing empty line is the socket's, not part of this.
 */
public final class StatCsv {
    private static final String HEADER = header();

    private StatCsv() {}

    /** The header line, ending in {@code ,\n}. */
    public static String header() {
        if (HEADER != null) {
            return HEADER;
        }
        StringBuilder out = new StringBuilder("# ");
        for (StatField f : StatField.ALL) {
            out.append(f.fieldName()).append(',');
        }
        out.append("-,");
        for (ModuleField f : ModuleField.ALL) {
            out.append(f.fieldName()).append(',');
        }
        return out.append('\n').toString();
    }

    /** The header and every row. */
    public static String render(List<StatRow> rows) {
        StringBuilder out = new StringBuilder(HEADER.length() * (rows.size() + 1));
        out.append(HEADER);
        for (StatRow r : rows) {
            row(out, r);
        }
        return out.toString();
    }

    /** One row, ending in {@code ,\n}. */
    public static void row(StringBuilder out, StatRow row) {
        for (StatField f : StatField.ALL) {
            cell(out, row.value(f));
        }
        out.append("-,");
        for (ModuleField f : ModuleField.ALL) {
            cell(out, row.value(f));
        }
        out.append('\n');
    }

    private static void cell(StringBuilder out, Object v) {
        if (v instanceof String s) {
            text(out, s);
        } else if (v != null) {
            out.append(v);
        }
        out.append(',');
    }

    /**
     * A text cell: plain unless it holds {@code ,} {@code "} CR or LF; then quoted, with {@code "} doubled, LF
     * turned into a space, CR dropped and trailing spaces trimmed.
     */
    static void text(StringBuilder out, String s) {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.append(s);
            return;
        }
        StringBuilder q = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\"\"");
                case '\n' -> q.append(' ');
                case '\r' -> { }
                default -> q.append(c);
            }
        }
        int end = q.length();
        while (end > 0 && q.charAt(end - 1) == ' ') {
            end--;
        }
        out.append('"').append(q, 0, end).append('"');
    }
}
