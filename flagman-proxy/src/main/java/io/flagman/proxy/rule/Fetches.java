package io.flagman.proxy.rule;

import io.flagman.config.model.Fetch;
import io.flagman.config.model.Match;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Compiles {@link Fetch} models into {@link Sampler}s: name resolution, arguments and converters, once. */
final class Fetches {

    private Fetches() {}

    /** A fetch name resolved to its base fetch and, for suffix forms such as {@code hdr_beg}, its match. */
    record Resolved(String name, Match impliedMatch) {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("req.hdr", "hdr"),
            Map.entry("req.fhdr", "fhdr"),
            Map.entry("req.hdr_cnt", "hdr_cnt"),
            Map.entry("req_ssl_sni", "req.ssl_sni"),
            Map.entry("req_ver", "req.ver"),
            Map.entry("req_proto_http", "req.proto_http"),
            Map.entry("urlp", "url_param"),
            Map.entry("req.method", "method"),
            Map.entry("req_len", "req.len"),
            Map.entry("shdr", "res.hdr"),
            Map.entry("res.fhdr", "res.fhdr"));

    private static final Map<String, Match> SUFFIXES = Map.of(
            "beg", Match.BEG, "end", Match.END, "sub", Match.SUB, "reg", Match.REG, "dom", Match.DOM,
            "dir", Match.DIR, "len", Match.LEN, "ip", Match.IP, "val", Match.INT);

    private static final List<String> SUFFIXED_BASES =
            List.of("hdr", "req.hdr", "path", "url", "base", "urlp", "url_param", "ssl_fc_sni", "req.ssl_sni",
                    "req_ssl_sni", "query", "res.hdr", "shdr");

    static Resolved resolve(String rawName) {
        String name = rawName.toLowerCase(Locale.ROOT);
        if (!isKnown(ALIASES.getOrDefault(name, name))) {
            int underscore = name.lastIndexOf('_');
            if (underscore > 0) {
                String base = name.substring(0, underscore);
                Match implied = SUFFIXES.get(name.substring(underscore + 1));
                if (implied != null && SUFFIXED_BASES.contains(base)) {
                    return new Resolved(ALIASES.getOrDefault(base, base), implied);
                }
            }
        }
        return new Resolved(ALIASES.getOrDefault(name, name), null);
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "src", "dst", "src_port", "dst_port", "hdr", "fhdr", "hdr_cnt", "path", "url", "base", "query",
                 "url_param", "method", "ssl_fc", "ssl_fc_sni", "req.ssl_sni", "nbsrv", "always_true",
                 "always_false", "req.ver", "req.proto_http", "req.len", "status", "res.hdr", "res.fhdr" -> true;
            default -> false;
        };
    }

    /** HAProxy's default match method for a fetch's output type, when the ACL names none. */
    static Match defaultMatch(String name) {
        return switch (name) {
            case "src", "dst" -> Match.IP;
            case "src_port", "dst_port", "nbsrv", "hdr_cnt", "req.len", "status" -> Match.INT;
            case "ssl_fc", "always_true", "always_false", "req.proto_http" -> Match.BOOL;
            default -> Match.STR;
        };
    }

    /** The sampler for {@code fetch} with its converters; throws IllegalArgumentException for unknown ones. */
    static Sampler compile(String name, Fetch fetch) {
        Sampler base = base(name, fetch);
        UnaryOperator<String> converter = converters(fetch.converters());
        return converter == null ? base : new Converted(base, converter);
    }

    private static Sampler base(String name, Fetch fetch) {
        return switch (name) {
            case "src" -> new AddressSampler(true);
            case "dst" -> new AddressSampler(false);
            case "src_port" -> (IntSampler) s -> s.source() == null ? null : (long) s.source().getPort();
            case "dst_port" -> (IntSampler) s -> s.destination() == null ? null : (long) s.destination().getPort();
            case "nbsrv" -> {
                String backend = requireArg(fetch, 0, "nbsrv(<backend>)");
                yield (IntSampler) s -> (long) s.usableServers(backend);
            }
            case "ssl_fc" -> (IntSampler) s -> s.isSsl() ? 1L : 0L;
            case "always_true" -> (IntSampler) s -> 1L;
            case "always_false" -> (IntSampler) s -> 0L;
            case "req.proto_http" -> (IntSampler) s -> s.method() != null ? 1L : 0L;
            case "hdr_cnt" -> {
                String header = requireArg(fetch, 0, "hdr_cnt(<name>)");
                yield (IntSampler) s -> (long) Samples.headerCount(s.headerValues(header));
            }
            case "hdr" -> new HeaderSampler(requireArg(fetch, 0, "hdr(<name>[,<occ>])"), occurrence(fetch), true, false);
            case "fhdr" -> new HeaderSampler(requireArg(fetch, 0, "req.fhdr(<name>[,<occ>])"), occurrence(fetch), false, false);
            case "res.hdr" -> new HeaderSampler(requireArg(fetch, 0, "res.hdr(<name>[,<occ>])"), occurrence(fetch), true, true);
            case "res.fhdr" -> new HeaderSampler(requireArg(fetch, 0, "res.fhdr(<name>[,<occ>])"), occurrence(fetch), false, true);
            case "status" -> (IntSampler) s -> s instanceof ResponseSample r ? (long) r.status() : null;
            // Flagman streams request bodies and never holds them in a buffer to measure: no sample.
            case "req.len" -> (IntSampler) s -> null;
            case "path" -> (StringSampler) s -> Samples.path(s.uri());
            case "url" -> (StringSampler) SampleSource::uri;
            case "base" -> (StringSampler) Samples::base;
            case "query" -> (StringSampler) s -> Samples.query(s.uri());
            case "url_param" -> {
                String param = fetch.arg(0);
                String delim = fetch.arg(1);
                char d = delim == null || delim.isEmpty() ? '&' : delim.charAt(0);
                yield (StringSampler) s -> Samples.urlParam(s.uri(), param == null || param.isEmpty() ? null : param, d);
            }
            case "method" -> (StringSampler) SampleSource::method;
            case "req.ver" -> (StringSampler) s -> {
                String v = s.httpVersion();
                return v != null && v.startsWith("HTTP/") ? v.substring(5) : v;
            };
            case "ssl_fc_sni", "req.ssl_sni" -> (StringSampler) SampleSource::sni;
            default -> throw new IllegalArgumentException("unsupported sample fetch '" + fetch.name() + "'");
        };
    }

    private static String requireArg(Fetch fetch, int index, String usage) {
        String arg = fetch.arg(index);
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("fetch '" + fetch.name() + "' needs an argument: " + usage);
        }
        return arg;
    }

    /** 0 when absent: every value in an ACL, the last one in a sample context. */
    private static int occurrence(Fetch fetch) {
        String occ = fetch.arg(1);
        if (occ == null || occ.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(occ.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid occurrence '" + occ + "' in " + fetch.name(), e);
        }
    }

    static UnaryOperator<String> converters(List<String> names) {
        UnaryOperator<String> chain = null;
        for (String c : names) {
            UnaryOperator<String> step = switch (c.strip().toLowerCase(Locale.ROOT)) {
                case "lower" -> Samples::lower;
                case "upper" -> v -> v.toUpperCase(Locale.ROOT);
                default -> throw new IllegalArgumentException("unsupported converter '" + c + "'");
            };
            UnaryOperator<String> previous = chain;
            chain = previous == null ? step : v -> step.apply(previous.apply(v));
        }
        return chain;
    }

    /** A fetch with exactly one text value (or none). */
    @FunctionalInterface
    interface StringSampler extends Sampler {
        @Override
        default boolean anyMatch(SampleSource sample, ValueMatcher matcher) {
            String v = text(sample);
            return v != null && matcher.string(v);
        }
    }

    /** A fetch with one integer or boolean value (or none). */
    @FunctionalInterface
    interface IntSampler extends Sampler {
        Long value(SampleSource sample);

        @Override
        default boolean anyMatch(SampleSource sample, ValueMatcher matcher) {
            Long v = value(sample);
            return v != null && matcher.integer(v);
        }

        @Override
        default String text(SampleSource sample) {
            Long v = value(sample);
            return v == null ? null : Long.toString(v);
        }
    }

    private record AddressSampler(boolean source) implements Sampler {
        private InetAddress address(SampleSource sample) {
            InetSocketAddress a = source ? sample.source() : sample.destination();
            return a == null ? null : a.getAddress();
        }

        @Override
        public boolean anyMatch(SampleSource sample, ValueMatcher matcher) {
            InetAddress a = address(sample);
            return a != null && matcher.address(a);
        }

        @Override
        public String text(SampleSource sample) {
            InetAddress a = address(sample);
            return a == null ? null : Samples.addressText(a);
        }
    }

    /** {@code hdr(name[,occ])} (comma-split values) and {@code req.fhdr(name[,occ])} (whole lines). */
    private record HeaderSampler(String header, int occ, boolean split, boolean response) implements Sampler {
        private List<String> lines(SampleSource sample) {
            if (!response) {
                return sample.headerValues(header);
            }
            return sample instanceof ResponseSample r ? r.responseHeaderValues(header) : List.of();
        }

        @Override
        public boolean anyMatch(SampleSource sample, ValueMatcher matcher) {
            List<String> lines = lines(sample);
            if (occ != 0) {
                String v = Samples.headerValue(lines, occ, split);
                return v != null && matcher.string(v);
            }
            for (int i = 0, n = lines.size(); i < n; i++) {
                String line = lines.get(i);
                if (!split) {
                    if (matcher.string(line.strip())) {
                        return true;
                    }
                    continue;
                }
                int pos = 0;
                while (pos <= line.length()) {
                    int end = Samples.valueEnd(line, pos);
                    String value = pos == 0 && end == line.length() ? line.strip() : line.substring(pos, end).strip();
                    if (matcher.string(value)) {
                        return true;
                    }
                    pos = end + 1;
                }
            }
            return false;
        }

        @Override
        public String text(SampleSource sample) {
            return Samples.headerValue(lines(sample), occ == 0 ? -1 : occ, split);
        }
    }

    private record Converted(Sampler inner, UnaryOperator<String> converter) implements Sampler {
        @Override
        public boolean anyMatch(SampleSource sample, ValueMatcher matcher) {
            // Callers wrap the matcher once at compile time; this path is for ad-hoc use only.
            return inner.anyMatch(sample, Matchers.converted(matcher, converter));
        }

        @Override
        public String text(SampleSource sample) {
            String v = inner.text(sample);
            return v == null ? null : converter.apply(v);
        }
    }

    /** The matcher with converters applied, so that {@link Converted#anyMatch} need not wrap per call. */
    static Sampler unconverted(Sampler sampler) {
        return sampler instanceof Converted c ? c.inner : sampler;
    }

    static ValueMatcher withConverters(Sampler sampler, ValueMatcher matcher) {
        return sampler instanceof Converted c ? Matchers.converted(matcher, c.converter) : matcher;
    }
}
