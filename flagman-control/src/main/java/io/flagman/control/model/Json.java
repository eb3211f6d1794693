package io.flagman.control.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.config.parse.Values;
import io.flagman.config.text.ConfigLexer;
import io.flagman.config.text.Token;
import io.flagman.config.text.Words;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * JSON helpers for the API models: reading request bodies with the schema's checks (type, enum, pattern,
 * range, required → 422; unknown fields are ignored), writing responses in the Data Plane API's key order, and
 * the small conversions between JSON values and configuration words (durations in ms, quoting).
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9-_.:]+$");
    public static final Pattern NO_SPACE = Pattern.compile("^[^\\s]+$");

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** Parses a request body: malformed JSON is 400. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("request body is empty: a JSON document is required");
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw ApiException.badRequest("request body is empty: a JSON document is required");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON in request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read request body: " + e.getMessage());
        }
    }

    public static JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.unprocessable("body must be of type object: \"" + type(body) + "\"");
        }
        return body;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Orders keys as the Data Plane API's Go structs do: {@code first} keys (in that order), then the rest
     * alphabetically, then {@code own} keys (the allOf model's own part) alphabetically.
     */
    public static ObjectNode ordered(ObjectNode in, List<String> first, Set<String> own) {
        ObjectNode out = object();
        for (String f : first) {
            if (in.has(f)) {
                out.set(f, in.get(f));
            }
        }
        TreeMap<String, JsonNode> base = new TreeMap<>();
        TreeMap<String, JsonNode> tail = new TreeMap<>();
        Iterator<String> names = in.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (first.contains(k)) {
                continue;
            }
            (own.contains(k) ? tail : base).put(k, in.get(k));
        }
        base.forEach(out::set);
        tail.forEach(out::set);
        return out;
    }

    public static ObjectNode sorted(ObjectNode in) {
        return ordered(in, List.of(), Set.of());
    }

    // ---- reading request fields (422 on schema violations) ----

    public static boolean has(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    public static String string(JsonNode body, String field, boolean required, Pattern pattern) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.unprocessable(field + " in body is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.unprocessable(field + " in body must be of type string: \"" + type(n) + "\"");
        }
        String v = n.asText();
        if (required && v.isEmpty()) {
            throw ApiException.unprocessable(field + " in body is required");
        }
        checkText(field, v);
        if (pattern != null && !v.isEmpty() && !pattern.matcher(v).matches()) {
            throw ApiException.unprocessable(field + " in body should match '" + pattern.pattern() + "'");
        }
        return v.isEmpty() && !required ? null : v;
    }

    public static String string(JsonNode body, String field) {
        return string(body, field, false, null);
    }

    public static String enumValue(JsonNode body, String field, boolean required, List<String> values) {
        String v = string(body, field, required, null);
        if (v != null && !values.contains(v)) {
            throw ApiException.unprocessable(field + " in body should be one of " + values.toString()
                    .replace(",", ""));
        }
        return v;
    }

    public static Long integer(JsonNode body, String field, boolean required, Long min, Long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.unprocessable(field + " in body is required");
            }
            return null;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw ApiException.unprocessable(field + " in body must be of type integer: \"" + type(n) + "\"");
        }
        long v = n.asLong();
        if (min != null && v < min) {
            throw ApiException.unprocessable(field + " in body should be greater than or equal to " + min);
        }
        if (max != null && v > max) {
            throw ApiException.unprocessable(field + " in body should be less than or equal to " + max);
        }
        return v;
    }

    public static Long integer(JsonNode body, String field) {
        return integer(body, field, false, 0L, null);
    }

    public static boolean bool(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.unprocessable(field + " in body must be of type boolean: \"" + type(n) + "\"");
        }
        return n.asBoolean();
    }

    public static JsonNode child(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiException.unprocessable(field + " in body must be of type object: \"" + type(n) + "\"");
        }
        return n;
    }

    public static List<JsonNode> list(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ApiException.unprocessable(field + " in body must be of type array: \"" + type(n) + "\"");
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    static String type(JsonNode n) {
        if (n.isTextual()) {
            return "string";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isObject()) {
            return "object";
        }
        return "null";
    }

    /** Refuses control characters: a value must never start a new configuration line. */
    static void checkText(String field, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n' || c == '\r' || c == 0) {
                throw ApiException.unprocessable(field + " in body must not contain line breaks or NUL characters");
            }
        }
    }

    // ---- configuration words ----

    /** One value as a single configuration word, quoted when needed. */
    public static String word(String value) {
        return ConfigLexer.quote(value);
    }

    /**
     * A free-form expression ({@code cond_test}, an ACL's {@code value}, a header format) as the raw words it is
     * written with, so that quoting the user wrote is kept; an unterminated quote or a {@code #} that would
     * start a comment is refused.
     */
    public static List<String> rawWords(String field, String expression) {
        return expression(field, expression).tokens().stream().map(Token::raw).toList();
    }

    /** {@link #rawWords} as {@link Words}, for the writers of {@code DirectiveWriter} that take text as written. */
    public static Words expression(String field, String expression) {
        checkText(field, expression);
        return raw(field, () -> Words.of().plusRaw(expression));
    }

    /**
     * Runs a writer that takes text as the user wrote it ({@code DirectiveWriter.acl(name, criterion, value)}):
     * text that is not a run of words (an unterminated quote, a '#') is a 422 naming {@code field}.
     */
    public static Words raw(String field, Supplier<Words> writer) {
        try {
            return writer.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(field + " in body: " + e.getMessage());
        }
    }

    /** Words a codec spelled itself, each already quoted as it must appear in the file. */
    public static Words words(List<String> fileSyntax) {
        return Words.of().plusRaw(String.join(" ", fileSyntax));
    }

    /** The raw text of words {@code from} (inclusive) to {@code to} (exclusive), joined by one space. */
    public static String rawText(List<Token> words, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < Math.min(to, words.size()); i++) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(words.get(i).raw());
        }
        return out.toString();
    }

    /** A duration word ({@code 5s}, {@code 1m}, {@code 100}, {@code 1500ms}) in milliseconds, or null. */
    public static Long millis(String word) {
        return Values.millis(word); // the configuration language's own reading, so both accept the same words
    }
}
