package io.flagman.config.text;

import java.util.List;

/**
 * One physical line of a configuration file, kept byte for byte.
 *
 * @param number 1-based line number in the document
 * @param text the line without its line terminator
 * @param eol the terminator as found: {@code "\n"}, {@code "\r\n"} or {@code ""} for a last line without one
 * @param words the words (empty for blank and comment-only lines)
 * @param comment the text after an unquoted {@code #} (without the {@code #}), or null
 */
public record ConfigLine(int number, String text, String eol, List<Token> words, String comment) {

    public ConfigLine {
        words = List.copyOf(words);
    }

    public boolean isBlankOrComment() {
        return words.isEmpty();
    }

    /** The first word, or null for a blank or comment line. */
    public String keyword() {
        return words.isEmpty() ? null : words.getFirst().value();
    }

    public String word(int index) {
        return index < words.size() ? words.get(index).value() : null;
    }

    /** Column of word {@code index}, or of the line start when out of range. */
    public int column(int index) {
        return index < words.size() ? words.get(index).column() : 1;
    }

    /** The leading whitespace of the line. */
    public String indent() {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(0, i);
    }
}
