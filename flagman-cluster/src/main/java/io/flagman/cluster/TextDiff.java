package io.flagman.cluster;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** Unified diffs of configuration texts (java-diff-utils), 3 lines of context, as {@code diff -u} prints. */
public final class TextDiff {

    private static final int CONTEXT = 3;

    private TextDiff() {}

    /** The unified diff from {@code before} to {@code after}; empty when they are equal. */
    public static String unified(String beforeName, String before, String afterName, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        List<String> out = UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, a, patch, CONTEXT);
        return String.join("\n", out) + "\n";
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(t.split("\r?\n", -1));
    }
}
