package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Fetch;
import io.flagman.config.model.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The words of an ACL test: {@code <criterion> [flags] [patterns]}, as on an {@code acl} line or inside
 * {@code { … }}. Suffix forms ({@code hdr_beg(host)}) become the base fetch plus a match method.
 */
final class AclSyntax {

    /** Reports a problem at a word index relative to the words given. */
    interface Reporter {
        void error(int index, String message, String hint);
    }

    /** Older or alternative spellings and their canonical fetch. */
    static final Map<String, String> ALIASES = Map.of("req.hdr", "hdr", "urlp", "url_param", "req_ssl_sni",
            "req.ssl_sni", "req_ver", "req.ver", "req_len", "req.len", "req_proto_http", "req.proto_http",
            "shdr", "res.hdr", "res.fhdr", "res.hdr", "req.fhdr", "hdr");

    /** Fetches that take suffix forms ({@code hdr_beg}), and the suffixes with the match each means. */
    static final List<String> SUFFIXABLE = List.of("hdr", "path", "url", "base", "url_param", "urlp",
            "ssl_fc_sni", "shdr", "req.hdr", "res.hdr");

    static final Map<String, Match> SUFFIXES = Map.of("beg", Match.BEG, "end", Match.END, "sub", Match.SUB,
            "dom", Match.DOM, "reg", Match.REG, "dir", Match.DIR, "len", Match.LEN, "ip", Match.IP, "val",
            Match.INT);

    private static final List<String> INT_OPERATORS = List.of("eq", "ge", "gt", "le", "lt");

    private AclSyntax() {}

    /** Parses the words; returns null after reporting when they are malformed. */
    static AclTest parse(List<String> words, Reporter r) {
        if (words.isEmpty()) {
            r.error(0, "missing ACL criterion", "expected a fetch such as path_beg, hdr(host) or src");
            return null;
        }
        String criterion = words.getFirst();
        Fetch fetch = fetch(criterion, r);
        if (fetch == null) {
            return null;
        }
        Match match = implied(criterion, fetch);
        boolean ignoreCase = false;
        List<String> files = new ArrayList<>();
        int i = 1;
        boolean ok = true;
        while (i < words.size() && words.get(i).startsWith("-") && words.get(i).length() > 1) {
            String flag = words.get(i);
            if (flag.equals("--")) {
                i++;
                break;
            }
            switch (flag) {
                case "-i" -> ignoreCase = true;
                case "-n", "-M" -> { }
                case "-m" -> {
                    String m = i + 1 < words.size() ? words.get(i + 1) : null;
                    Match parsed = m == null ? null : Match.fromKeyword(m);
                    if (parsed == null) {
                        List<String> names = Arrays.stream(Match.values()).map(Match::keyword).toList();
                        String hint = Suggest.didYouMean(m, names);
                        r.error(m == null ? i : i + 1, m == null ? "missing match method after '-m'"
                                : "unknown match method '" + m + "'",
                                (hint != null ? hint + " " : "") + "expected one of: " + String.join(" ", names));
                        ok = false;
                    } else {
                        match = parsed;
                    }
                    i++;
                }
                case "-f" -> {
                    if (i + 1 >= words.size()) {
                        r.error(i, "missing file name after '-f'", "expected -f <file> with one pattern per line");
                        ok = false;
                    } else {
                        files.add(words.get(i + 1));
                    }
                    i++;
                }
                case "-u" -> i++;
                default -> {
                    if (match == Match.INT && Values.parseInt(flag) != null) {
                        // A negative number is a pattern, not a flag.
                        return finish(criterion, fetch, match, ignoreCase, words, i, files, r, ok);
                    }
                    r.error(i, "unknown ACL flag '" + flag + "'",
                            "expected -i, -m <method>, -f <file>, -n, -M, -u <id> or -- before patterns"
                                    + " starting with '-'");
                    ok = false;
                }
            }
            i++;
        }
        return finish(criterion, fetch, match, ignoreCase, words, i, files, r, ok);
    }

    private static AclTest finish(String criterion, Fetch fetch, Match match, boolean ignoreCase, List<String> words,
            int from, List<String> files, Reporter r, boolean ok) {
        List<String> patterns = words.subList(Math.min(from, words.size()), words.size());
        for (int k = 0; k < patterns.size(); k++) {
            ok &= checkPattern(match, patterns, k, from + k, r);
        }
        if (!ok) {
            return null;
        }
        String value = String.join(" ", words.subList(1, words.size()));
        return new AclTest(fetch, match, ignoreCase, patterns, files, criterion, value);
    }

    private static boolean checkPattern(Match match, List<String> patterns, int k, int index, Reporter r) {
        String p = patterns.get(k);
        switch (match) {
            case IP -> {
                if (Values.cidr(p) == null) {
                    r.error(index, "invalid IP address or network '" + p + "'",
                            "expected an address or CIDR such as 10.0.0.0/8 or 2001:db8::/32");
                    return false;
                }
            }
            case INT, LEN -> {
                if (INT_OPERATORS.contains(p)) {
                    if (k + 1 >= patterns.size()) {
                        r.error(index, "missing number after '" + p + "'", "expected e.g. 'gt 0'");
                        return false;
                    }
                    return true;
                }
                if (!isIntOrRange(p)) {
                    r.error(index, "invalid integer pattern '" + p + "'",
                            "expected a number, a range such as 1024:65535, or eq|ge|gt|le|lt <number>");
                    return false;
                }
            }
            case STR, BEG, END, SUB, REG, DOM, DIR, BOOL, FOUND -> { }
        }
        return true;
    }

    private static boolean isIntOrRange(String p) {
        int colon = p.indexOf(':');
        if (colon < 0) {
            return Values.parseInt(p) != null;
        }
        String a = p.substring(0, colon);
        String b = p.substring(colon + 1);
        return (a.isEmpty() || Values.parseInt(a) != null) && (b.isEmpty() || Values.parseInt(b) != null)
                && !(a.isEmpty() && b.isEmpty());
    }

    /** The match a criterion implies: its suffix ({@code _beg}) or the fetch's own type. */
    private static Match implied(String criterion, Fetch fetch) {
        String base = baseName(criterion);
        int us = base.lastIndexOf('_');
        if (us > 0 && SUFFIXABLE.contains(base.substring(0, us)) && SUFFIXES.containsKey(base.substring(us + 1))) {
            return SUFFIXES.get(base.substring(us + 1));
        }
        return SampleFetches.implied(fetch.name());
    }

    private static String baseName(String criterion) {
        int end = criterion.length();
        int paren = criterion.indexOf('(');
        int comma = criterion.indexOf(',');
        if (paren >= 0) {
            end = paren;
        }
        if (comma >= 0 && comma < end) {
            end = comma;
        }
        return criterion.substring(0, end);
    }

    /** {@code name[(args)][,converter…]} into a canonical {@link Fetch}; null after reporting. */
    static Fetch fetch(String criterion, Reporter r) {
        String base = baseName(criterion);
        List<String> args = new ArrayList<>();
        int pos = base.length();
        if (pos < criterion.length() && criterion.charAt(pos) == '(') {
            int close = matching(criterion, pos);
            if (close < 0) {
                r.error(0, "missing ')' in '" + criterion + "'", "expected e.g. hdr(host)");
                return null;
            }
            String inner = criterion.substring(pos + 1, close);
            if (!inner.isEmpty()) {
                args.addAll(splitTopLevel(inner));
            }
            pos = close + 1;
        }
        List<String> converters = new ArrayList<>();
        if (pos < criterion.length()) {
            if (criterion.charAt(pos) != ',') {
                r.error(0, "unexpected '" + criterion.substring(pos) + "' after the fetch in '" + criterion + "'",
                        "converters follow a comma, e.g. hdr(host),lower");
                return null;
            }
            converters.addAll(splitTopLevel(criterion.substring(pos + 1)));
        }
        String name = base;
        int us = base.lastIndexOf('_');
        if (!SampleFetches.known(name) && !ALIASES.containsKey(name) && us > 0
                && SUFFIXABLE.contains(base.substring(0, us)) && SUFFIXES.containsKey(base.substring(us + 1))) {
            name = base.substring(0, us);
        }
        name = ALIASES.getOrDefault(name, name);
        if (!SampleFetches.known(name)) {
            List<String> known = new ArrayList<>(SampleFetches.names());
            for (String s : List.of("hdr", "path", "url", "base")) {
                for (String suffix : List.of("beg", "end", "sub", "dom", "reg")) {
                    known.add(s + "_" + suffix);
                }
            }
            String hint = Suggest.didYouMean(base, known);
            r.error(0, "fetch '" + base + "' is not supported yet",
                    hint != null ? hint : "supported fetches: " + String.join(" ", SampleFetches.names())
                            + " and the suffix forms _beg _end _sub _dom _reg _dir _len");
            return null;
        }
        return new Fetch(name, args, converters);
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Splits on commas that are not inside parentheses. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
