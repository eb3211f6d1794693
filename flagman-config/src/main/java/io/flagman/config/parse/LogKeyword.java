package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.LogTarget;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code log global}, {@code no log}, and {@code log <address> [len <n>] [format <fmt>] [sample <r>:<n>]
 * <facility> [<level> [<minlevel>]]}, in the global section and in proxies.
 */
final class LogKeyword {

    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7");
    static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");
    static final List<String> FORMATS = List.of("local", "rfc3164", "rfc5424", "priority", "short", "timed", "iso",
            "raw");

    static final String USAGE = "log global | log <address> [len <n>] [format <format>] <facility> [<level>]";

    private LogKeyword() {}

    /** Proxy form: adds {@code log global} as a marker, expanded once the global section is known. */
    static final Keyword<ProxyBuilder> PROXY = new Keyword<>() {
        @Override
        public String name() {
            return "log";
        }

        @Override
        public String usage() {
            return USAGE + " | no log";
        }

        @Override
        public String summary() {
            return "where the proxy's logs go; 'log global' uses the global section's targets";
        }

        @Override
        public Set<Scope> scopes() {
            return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
        }

        @Override
        public void parse(Directive d, ProxyBuilder target) {
            if (d.keyword().equals("no")) {
                target.noLog = true;
                target.logs.clear();
                return;
            }
            if ("global".equals(d.word(1))) {
                if (d.size() > 2) {
                    d.error(2, "log global: unexpected '" + d.word(2) + "'", "usage: log global");
                    return;
                }
                target.logs.add(new ProxyBuilder.Log(true, null));
                return;
            }
            LogTarget t = target(d);
            if (t != null) {
                target.logs.add(new ProxyBuilder.Log(false, t));
            }
        }
    };

    static final Keyword<GlobalBuilder> GLOBAL = new Keyword<>() {
        @Override
        public String name() {
            return "log";
        }

        @Override
        public String usage() {
            return "log <address> [len <n>] [format <format>] <facility> [<level>]";
        }

        @Override
        public String summary() {
            return "a log target that proxies use with 'log global'";
        }

        @Override
        public Set<Scope> scopes() {
            return EnumSet.of(Scope.GLOBAL);
        }

        @Override
        public void parse(Directive d, GlobalBuilder target) {
            if ("global".equals(d.word(1))) {
                d.error(1, "'log global' is not allowed in the global section", "give a target, e.g. log stdout format raw daemon");
                return;
            }
            LogTarget t = target(d);
            if (t != null) {
                target.logs.add(t);
            }
        }
    };

    static LogTarget target(Directive d) {
        String address = d.word(1);
        if (address == null) {
            d.missing(1, "an address (stdout, stderr, /dev/log, udp@host:port…)");
            return null;
        }
        String format = null;
        int i = 2;
        while (i < d.size()) {
            String w = d.word(i);
            if (w.equals("len") || w.equals("sample")) {
                if (d.word(i + 1) == null) {
                    d.missing(i + 1, "a value");
                    return null;
                }
                if (w.equals("sample")) {
                    d.error(i, "log: 'sample' is not supported yet", "remove it; every request is logged");
                    return null;
                }
                i += 2;
            } else if (w.equals("format")) {
                format = d.word(i + 1);
                if (format == null) {
                    d.missing(i + 1, "a format");
                    return null;
                }
                if (!FORMATS.contains(format)) {
                    String hint = Suggest.didYouMean(format, FORMATS);
                    d.error(i + 1, "log: unknown format '" + format + "'",
                            hint != null ? hint : "expected one of: " + String.join(", ", FORMATS));
                    return null;
                }
                i += 2;
            } else {
                break;
            }
        }
        String facility = d.word(i);
        if (facility == null) {
            d.missing(i, "a facility such as daemon or local0");
            return null;
        }
        if (!FACILITIES.contains(facility)) {
            String hint = Suggest.didYouMean(facility, FACILITIES);
            d.error(i, "log: unknown facility '" + facility + "'",
                    hint != null ? hint : "expected one of: " + String.join(", ", FACILITIES));
            return null;
        }
        String level = d.word(i + 1);
        if (level != null && !LEVELS.contains(level)) {
            String hint = Suggest.didYouMean(level, LEVELS);
            d.error(i + 1, "log: unknown level '" + level + "'",
                    hint != null ? hint : "expected one of: " + String.join(", ", LEVELS));
            return null;
        }
        String minLevel = d.word(i + 2);
        if (minLevel != null && !LEVELS.contains(minLevel)) {
            d.error(i + 2, "log: unknown minimum level '" + minLevel + "'", "expected one of: " + String.join(", ", LEVELS));
            return null;
        }
        if (d.size() > i + 3) {
            d.error(i + 3, "log: unexpected '" + d.word(i + 3) + "'", "usage: " + USAGE);
            return null;
        }
        return new LogTarget(address, format, facility, level);
    }

    static List<String> write(LogTarget t) {
        List<String> w = new ArrayList<>();
        w.add("log");
        w.add(t.address());
        if (t.format() != null) {
            w.add("format");
            w.add(t.format());
        }
        w.add(t.facility());
        if (t.level() != null) {
            w.add(t.level());
        }
        return w;
    }
}
