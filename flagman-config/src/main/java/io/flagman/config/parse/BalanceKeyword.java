package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Balance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code balance <algorithm> [<arguments>]}, {@code hdr(<name>)}, {@code url_param <param>}, {@code random[(<n>)]}. */
final class BalanceKeyword implements Keyword<ProxyBuilder> {

    static final BalanceKeyword INSTANCE = new BalanceKeyword();

    /** HAProxy algorithms Flagman does not implement yet. */
    static final List<String> NOT_SUPPORTED = List.of("rdp-cookie", "hash", "log-hash", "sticky");

    static List<String> algorithms() {
        return Arrays.stream(Balance.Algorithm.values()).map(Balance.Algorithm::keyword).toList();
    }

    @Override
    public String name() {
        return "balance";
    }

    @Override
    public String usage() {
        return "balance roundrobin|static-rr|leastconn|first|source|uri|url_param <param>|hdr(<name>)|random[(<draws>)]";
    }

    @Override
    public String summary() {
        return "the load-balancing algorithm of the backend (default roundrobin)";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String word = d.word(1);
        if (word == null) {
            // HAProxy reads a bare 'balance' as its default algorithm.
            target.balance = Balance.ROUND_ROBIN;
            return;
        }
        String name = word;
        String argument = null;
        int paren = word.indexOf('(');
        if (paren >= 0) {
            if (!word.endsWith(")")) {
                d.error(1, "balance: missing ')' in '" + word + "'", "expected e.g. hdr(host) or random(2)");
                return;
            }
            name = word.substring(0, paren);
            argument = word.substring(paren + 1, word.length() - 1);
        }
        Balance.Algorithm a = Balance.Algorithm.fromKeyword(name);
        if (a == null) {
            String hint = Suggest.didYouMean(name, algorithms());
            String valid = "valid algorithms: " + String.join(", ", algorithms());
            if (NOT_SUPPORTED.contains(name)) {
                d.error(1, "balance algorithm '" + name + "' is not supported yet", valid);
            } else {
                d.error(1, "unknown balance algorithm '" + name + "'", hint != null ? hint + " " + valid : valid);
            }
            return;
        }
        Balance b = switch (a) {
            case HDR -> {
                if (argument == null || argument.isEmpty()) {
                    d.error(1, "balance hdr: missing header name", "write 'balance hdr(<name>)', e.g. hdr(host)");
                    yield null;
                }
                yield noMoreWords(d, 2, a) ? new Balance(a, argument) : null;
            }
            case URL_PARAM -> {
                if (argument != null) {
                    d.error(1, "balance url_param: unexpected parentheses", "write 'balance url_param <param>'");
                    yield null;
                }
                String p = d.word(2);
                if (p == null) {
                    d.missing(2, "a parameter name");
                    yield null;
                }
                yield noMoreWords(d, 3, a) ? new Balance(a, p) : null;
            }
            case RANDOM -> {
                if (argument != null && (Values.parseInt(argument) == null || Values.parseInt(argument) < 1)) {
                    d.error(1, "balance random: invalid draw count '" + argument + "'", "expected random or random(<n>) with n >= 1");
                    yield null;
                }
                yield noMoreWords(d, 2, a) ? new Balance(a, argument) : null;
            }
            case ROUNDROBIN, STATIC_RR, LEASTCONN, FIRST, SOURCE, URI -> {
                if (argument != null) {
                    d.error(1, "balance " + name + " takes no argument", "write 'balance " + name + "'");
                    yield null;
                }
                yield noMoreWords(d, 2, a) ? new Balance(a, null) : null;
            }
        };
        if (b != null) {
            target.balance = b;
        }
    }

    private static boolean noMoreWords(Directive d, int at, Balance.Algorithm a) {
        if (d.size() > at) {
            d.error(at, "balance " + a.keyword() + ": '" + d.word(at) + "' is not supported yet",
                    "Flagman takes no options after this algorithm");
            return false;
        }
        return true;
    }

    static List<String> write(Balance b) {
        return write(BalanceSettings.of(b));
    }

    /**
     * {@code balance <algorithm>[(<argument>)] [<options>…]} as said.
     *
     * @throws IllegalArgumentException when the algorithm is none HAProxy has
     */
    static List<String> write(BalanceSettings s) {
        if (Balance.Algorithm.fromKeyword(s.algorithm) == null && !NOT_SUPPORTED.contains(s.algorithm)) {
            throw new IllegalArgumentException("balance: " + s.algorithm + " (not an algorithm)");
        }
        List<String> w = new ArrayList<>(List.of("balance"));
        switch (s.algorithm) {
            case "hdr" -> {
                w.add("hdr(" + s.hdrName + ")");
                if (s.hdrUseDomainOnly) {
                    w.add("use_domain_only");
                }
            }
            case "random" -> w.add(s.randomDraws == null ? "random" : "random(" + s.randomDraws + ")");
            case "rdp-cookie" -> w.add(s.rdpCookieName == null ? "rdp-cookie" : "rdp-cookie(" + s.rdpCookieName + ")");
            case "url_param" -> {
                w.add("url_param");
                w.add(s.urlParam);
            }
            case "uri" -> {
                w.add("uri");
                if (s.uriWhole) {
                    w.add("whole");
                }
                if (s.uriPathOnly) {
                    w.add("path-only");
                }
                Values.option(w, "len", s.uriLen);
                Values.option(w, "depth", s.uriDepth);
            }
            default -> w.add(s.algorithm);
        }
        return w;
    }
}
