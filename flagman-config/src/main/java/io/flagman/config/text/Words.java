package io.flagman.config.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a directive line to write, each with the text it is written with. A value gets the canonical
 * quoting of {@link ConfigLexer#quote}; raw text (what a user gave for an ACL value, a condition or a log-format,
 * quotes and {@code "${VAR}"} included) keeps its own, so that writing it changes neither its meaning nor its
 * spelling.
 *
 * @param tokens the words; {@link Token#raw()} is what is written, {@link Token#value()} what it means
 */
public record Words(List<Token> tokens) {

    /** Lexes raw text without expanding {@code "${VAR}"}: the value keeps the reference, as written. */
    private static final ConfigLexer RAW = new ConfigLexer(name -> "${" + name + "}");

    public Words {
        tokens = List.copyOf(tokens);
    }

    /** Values, each quoted only where needed. */
    public static Words of(List<String> values) {
        return new Words(List.of()).plus(values);
    }

    public static Words of(String... values) {
        return of(List.of(values));
    }

    /** These words followed by {@code values}, each quoted only where needed. */
    public Words plus(List<String> values) {
        List<Token> out = new ArrayList<>(tokens);
        for (String v : values) {
            out.add(new Token(v, 0, ConfigLexer.quote(v)));
        }
        return new Words(out);
    }

    public Words plus(String... values) {
        return plus(List.of(values));
    }

    public Words plus(Words more) {
        List<Token> out = new ArrayList<>(tokens);
        out.addAll(more.tokens);
        return new Words(out);
    }

    /**
     * These words followed by the words of {@code text} as written (null or blank adds nothing).
     *
     * @throws IllegalArgumentException when {@code text} is not a run of words: an unterminated quote, a line
     *     break, or an unquoted {@code #} that would start a comment
     */
    public Words plusRaw(String text) {
        if (text == null || text.isBlank()) {
            return this;
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("must not contain line breaks or NUL characters");
        }
        ConfigLexer.Result r = RAW.split(text);
        if (r.error() != null) {
            throw new IllegalArgumentException(r.error());
        }
        if (r.comment() != null) {
            throw new IllegalArgumentException("an unquoted '#' would start a comment; quote it");
        }
        List<Token> out = new ArrayList<>(tokens);
        out.addAll(r.words());
        return new Words(out);
    }

    /** What the words mean, one value each. */
    public List<String> values() {
        return tokens.stream().map(Token::value).toList();
    }

    public int size() {
        return tokens.size();
    }

    /** The line text: the words as written, separated by one space. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(t.raw());
        }
        return out.toString();
    }

    /** The words of an existing line, as written there. */
    public static Words of(ConfigLine line) {
        return new Words(line.words());
    }
}
