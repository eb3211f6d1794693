package io.flagman.app;

import io.flagman.config.text.Diagnostic;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mode-mismatch and missing-timeouts warnings of {@code haproxy -c} (2.6) and of {@code flagman check}, both
 * reduced to the same key: the proxy's name, what is wrong ({@link #SUBJECTS}) and, where HAProxy prints one, the
 * line. HAProxy names a listen section "proxy" and Flagman "listen", so the kind of proxy is not in the key; some
 * HAProxy warnings carry a line ({@code parsing [f:12]}, {@code declared at f:12}), most only name the proxy.
 */
final class ModeWarnings {

    /** What one warning is about, for one proxy; {@code line} is 0 when HAProxy's message carries none. */
    record Key(String proxy, String subject, int line) {

        boolean sameWarning(Key other) {
            return proxy.equals(other.proxy) && subject.equals(other.subject)
                    && (line == 0 || other.line == 0 || line == other.line);
        }

        @Override
        public String toString() {
            return subject + " for '" + proxy + "'" + (line > 0 ? " on line " + line : "");
        }
    }

    /** The subjects both programs report; anything else Flagman says about modes is its own (stricter) check. */
    static final Set<String> SUBJECTS = Set.of("http-request rules", "http-response rules", "option forwardfor",
            "option http-buffer-request", "option httplog", "layer 7 balance", "missing timeouts", "layer 6 fetch",
            "incompatible backend");

    private static final String KIND = "(?:frontend|backend|proxy)";

    /**
     * One message form. When {@code subject} is null the message names its rule or option itself: of groups 1 and
     * 2, the one that is not {@code proxyGroup} holds that word ({@code http-request}, {@code forwardfor}…).
     */
    private record Form(Pattern pattern, String subject, int proxyGroup, int lineGroup) {}

    private static final List<Form> HAPROXY = List.of(
            new Form(Pattern.compile("'(http-request|http-response)' rules ignored for " + KIND
                    + " '([^']+)' as they require HTTP mode"), null, 2, 0),
            new Form(Pattern.compile("'option (forwardfor|http-buffer-request)' ignored for " + KIND
                    + " '([^']+)' as it requires HTTP mode"), null, 2, 0),
            new Form(Pattern.compile("parsing \\[[^\\]]*:(\\d+)\\] : 'option httplog' not usable with " + KIND
                    + " '([^']+)' \\(needs 'mode http'\\)"), "option httplog", 2, 1),
            new Form(Pattern.compile("Layer 7 hash not possible for " + KIND + " '([^']+)'"), "layer 7 balance", 1, 0),
            new Form(Pattern.compile("missing timeouts for " + KIND + " '([^']+)'"), "missing timeouts", 1, 0),
            new Form(Pattern.compile("Proxy '([^']+)': L6 sample fetches ignored on HTTP proxies \\(declared at"
                    + " [^)]*:(\\d+)\\)"), "layer 6 fetch", 1, 2),
            new Form(Pattern.compile("(?:http|tcp) " + KIND + " '([^']+)' \\([^)]*\\) tries to use incompatible"),
                    "incompatible backend", 1, 0));

    private static final String PROXY = "^(?:frontend|backend|listen) '([^']+)': ";

    private static final List<Form> FLAGMAN = List.of(
            new Form(Pattern.compile(PROXY + "'(http-request|http-response)' rules need mode http"), null, 1, 0),
            new Form(Pattern.compile(PROXY + "'option (forwardfor|http-buffer-request)' (?:needs mode http|has no"
                    + " effect in mode tcp)"), null, 1, 0),
            new Form(Pattern.compile(PROXY + "'option httplog' needs mode http"), "option httplog", 1, 0),
            new Form(Pattern.compile(PROXY + "'balance [^']+' hashes the HTTP request"), "layer 7 balance", 1, 0),
            new Form(Pattern.compile(PROXY + "missing timeouts"), "missing timeouts", 1, 0),
            new Form(Pattern.compile(PROXY + "the [a-z_-]+ condition reads .*, a layer 6 fetch"), "layer 6 fetch",
                    1, 0),
            new Form(Pattern.compile("^http (?:frontend|listen) '([^']+)' uses tcp backend"), "incompatible backend",
                    1, 0));

    private ModeWarnings() {}

    /** Every mode warning in haproxy's output (one message per line; continuation lines start with '|'). */
    static Set<Key> haproxy(String output) {
        Set<Key> out = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            for (Form f : HAPROXY) {
                Matcher m = f.pattern().matcher(line);
                if (m.find()) {
                    out.add(key(f, m));
                }
            }
        }
        return out;
    }

    /** Flagman's diagnostics of the same subjects, keyed by their own line. */
    static Set<Key> flagman(List<Diagnostic> diagnostics) {
        Set<Key> out = new LinkedHashSet<>();
        for (Diagnostic d : diagnostics) {
            for (Form f : FLAGMAN) {
                Matcher m = f.pattern().matcher(d.message());
                if (m.find()) {
                    Key k = key(f, m);
                    out.add(new Key(k.proxy(), k.subject(), d.line()));
                }
            }
        }
        return out;
    }

    private static Key key(Form f, Matcher m) {
        String subject = f.subject() != null ? f.subject() : subjectOf(m.group(f.proxyGroup() == 1 ? 2 : 1));
        int line = f.lineGroup() > 0 ? Integer.parseInt(m.group(f.lineGroup())) : 0;
        return new Key(m.group(f.proxyGroup()), subject, line);
    }

    private static String subjectOf(String word) {
        return word.startsWith("http-") && !word.equals("http-buffer-request") ? word + " rules" : "option " + word;
    }

    /** The keys of {@code expected} that no key of {@code actual} reports. */
    static List<Key> unmatched(Set<Key> expected, Set<Key> actual) {
        return expected.stream().filter(e -> actual.stream().noneMatch(e::sameWarning)).toList();
    }
}
