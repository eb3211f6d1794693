package io.flagman.control.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code # _version=N} line at the top of a managed configuration file. Only this line changes when the
 * version goes up; every other byte of the file stays as it was.
 */
public final class VersionLine {

    private static final Pattern LINE = Pattern.compile("^#\\s*_version\\s*=\\s*(\\d+)\\s*$");

    private VersionLine() {}

    /** The version in {@code text}, or 0 when the file has no version line among its leading comments. */
    public static long read(String text) {
        int[] at = find(text);
        if (at == null) {
            return 0;
        }
        Matcher m = LINE.matcher(text.substring(at[0], at[1]).stripTrailing());
        return m.matches() ? parse(m.group(1)) : 0;
    }

    /** {@code text} with its version line set to {@code version}: replaced in place, or inserted as line 1. */
    public static String write(String text, long version) {
        String line = "# _version=" + version;
        int[] at = find(text);
        if (at != null) {
            return text.substring(0, at[0]) + line + text.substring(at[1]);
        }
        String eol = text.contains("\r\n") && !text.replace("\r\n", "").contains("\n") ? "\r\n" : "\n";
        return line + eol + text;
    }

    /** {@code text} without any version line among its leading comments (for raw uploads). */
    public static String strip(String text) {
        String out = text;
        for (int[] at = find(out); at != null; at = find(out)) {
            int end = at[1];
            if (end < out.length() && out.charAt(end) == '\r') {
                end++;
            }
            if (end < out.length() && out.charAt(end) == '\n') {
                end++;
            }
            out = out.substring(0, at[0]) + out.substring(end);
        }
        return out;
    }

    /** [start, end) of the version line's text (without terminator), searching the leading comment block. */
    private static int[] find(String text) {
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            int textEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(pos, textEnd);
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                return null;
            }
            if (LINE.matcher(trimmed).matches()) {
                return new int[] {pos, textEnd};
            }
            if (nl < 0) {
                return null;
            }
            pos = nl + 1;
        }
        return null;
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
