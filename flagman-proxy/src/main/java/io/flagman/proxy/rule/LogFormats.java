package io.flagman.proxy.rule;

import io.flagman.config.model.Fetch;
import io.flagman.config.model.LogFormat;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles log-format strings ({@code set-header} values, {@code lf-string} bodies, redirect targets): literal
 * text, {@code %%}, {@code %[fetch(args),converter…]} with the same fetches as ACLs, and the variables
 * {@code %ci %cp %fi %fp %HM %HU %HP %HQ %HV} (with optional {@code %{+Q}} quoting). HAProxy variables that
 * only exist once a request is logged ({@code %ST}, {@code %b}, {@code %Ta}…) render as "-" here.
 *
 * <p>Outside logs, a missing sample renders as nothing, as in HAProxy ({@code a=%[hdr(none)]} → {@code a=}); a
 * constant format renders its text with no work at all.
 */
public final class LogFormats {

    private static final Set<String> LOG_ONLY_VARIABLES = Set.of(
            "ac", "B", "b", "bc", "bi", "bp", "bq", "CC", "CS", "f", "fc", "ft", "H", "hr", "hrl", "hs", "hsl", "ID",
            "lc", "ms", "pid", "r", "rc", "rt", "s", "sc", "si", "sp", "sq", "ST", "T", "Ta", "Tc", "Td", "Th", "Ti",
            "Tq", "TR", "Tr", "Ts", "tr", "trg", "trl", "Tt", "Tu", "Tw", "U", "t", "tsc", "ts", "sslc", "sslv",
            "HPO");

    private LogFormats() {}

    public static CompiledLogFormat compile(LogFormat format) {
        String text = format.text();
        if (format.isConstant()) {
            return s -> text;
        }
        List<Item> items = parse(text);
        if (items.size() == 1 && items.getFirst() instanceof Literal literal) {
            String constant = literal.text;
            return s -> constant;
        }
        Item[] all = items.toArray(Item[]::new);
        return s -> {
            StringBuilder sb = new StringBuilder(64);
            for (Item item : all) {
                item.append(sb, s);
            }
            return sb.toString();
        };
    }

    private interface Item {
        void append(StringBuilder sb, SampleSource sample);
    }

    private record Literal(String text) implements Item {
        @Override
        public void append(StringBuilder sb, SampleSource sample) {
            sb.append(text);
        }
    }

    private record Value(Function<SampleSource, String> value, boolean quote) implements Item {
        @Override
        public void append(StringBuilder sb, SampleSource sample) {
            String v = value.apply(sample);
            if (v == null) {
                return;
            }
            if (quote) {
                sb.append('"').append(v).append('"');
            } else {
                sb.append(v);
            }
        }
    }

    private static List<Item> parse(String text) {
        List<Item> items = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            i++;
            boolean quote = false;
            if (i < text.length() && text.charAt(i) == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("log-format '" + text + "': missing '}'");
                }
                for (String flag : text.substring(i + 1, close).split("(?=[+-])")) {
                    if (flag.equals("+Q")) {
                        quote = true;
                    } else if (flag.equals("-Q")) {
                        quote = false;
                    }
                }
                i = close + 1;
            }
            if (literal.length() > 0) {
                items.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            if (i < text.length() && text.charAt(i) == '[') {
                int close = closingBracket(text, i);
                items.add(new Value(sample(text.substring(i + 1, close)), quote));
                i = close + 1;
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            items.add(new Value(variable(text.substring(start, i), text), quote));
        }
        if (literal.length() > 0) {
            items.add(new Literal(literal.toString()));
        }
        return items;
    }

    private static int closingBracket(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("log-format '" + text + "': missing ']'");
    }

    private static Function<SampleSource, String> sample(String expression) {
        Fetch fetch = parseFetch(expression);
        Fetches.Resolved resolved = Fetches.resolve(fetch.name());
        if (resolved.impliedMatch() != null) {
            throw new IllegalArgumentException("'" + fetch.name() + "' is an ACL keyword, not a sample fetch");
        }
        Sampler sampler = Fetches.compile(resolved.name(), fetch);
        return sampler::text;
    }

    /** {@code name(arg,arg),conv,conv(arg)} → Fetch. Commas inside parentheses separate arguments. */
    static Fetch parseFetch(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(expression.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(expression.substring(start).strip());
        String head = parts.getFirst();
        String name = head;
        List<String> args = List.of();
        int paren = head.indexOf('(');
        if (paren >= 0) {
            if (!head.endsWith(")")) {
                throw new IllegalArgumentException("sample expression '" + expression + "': missing ')'");
            }
            name = head.substring(0, paren);
            String inner = head.substring(paren + 1, head.length() - 1);
            args = inner.isEmpty() ? List.of() : List.of(inner.split(",", -1));
        }
        return new Fetch(name.strip(), args.stream().map(String::strip).toList(), parts.subList(1, parts.size()));
    }

    private static Function<SampleSource, String> variable(String name, String text) {
        return switch (name) {
            case "ci" -> s -> Samples.addressText(s.source());
            case "cp" -> s -> port(s.source());
            case "fi" -> s -> Samples.addressText(s.destination());
            case "fp" -> s -> port(s.destination());
            case "HM" -> SampleSource::method;
            case "HU" -> SampleSource::uri;
            case "HP" -> s -> {
                String uri = s.uri();
                if (uri == null) {
                    return null;
                }
                int q = uri.indexOf('?');
                return q < 0 ? uri : uri.substring(0, q);
            };
            case "HQ" -> s -> {
                String uri = s.uri();
                int q = uri == null ? -1 : uri.indexOf('?');
                return q < 0 ? null : uri.substring(q);
            };
            case "HV" -> SampleSource::httpVersion;
            default -> {
                if (!LOG_ONLY_VARIABLES.contains(name)) {
                    throw new IllegalArgumentException(
                            "log-format '" + text + "': unknown variable '%" + name + "'");
                }
                yield s -> "-";
            }
        };
    }

    private static String port(InetSocketAddress address) {
        return address == null ? null : Integer.toString(address.getPort());
    }
}
