package io.flagman.proxy.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's CLI line syntax: commands separated by {@code ;} (unless escaped), words by spaces and tabs;
 * {@code \;} is a {@code ;}, {@code \\} a backslash, a backslash before a space or tab keeps it in the word.
 * Quotes mean nothing.
 */
final class CliLine {
    static final int MAX_WORDS = 64;
    static final String TOO_MANY = "Too many arguments. Commands must have at most 64 arguments.";

    private CliLine() {}

    /** The line's commands, each as its words (an empty list for an empty command). */
    static List<List<String>> commands(String line) {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(i + 1);
                if (n == ';' || n == '\\' || n == ' ' || n == '\t') {
                    word = word == null ? new StringBuilder() : word;
                    word.append(n);
                    i++;
                    continue;
                }
            }
            if (c == ';') {
                end(words, word);
                word = null;
                out.add(words);
                words = new ArrayList<>();
            } else if (c == ' ' || c == '\t') {
                end(words, word);
                word = null;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        end(words, word);
        out.add(words);
        return out;
    }

    private static void end(List<String> words, StringBuilder word) {
        if (word != null) {
            words.add(word.toString());
        }
    }
}
