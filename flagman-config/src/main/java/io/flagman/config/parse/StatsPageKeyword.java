package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import io.flagman.config.model.StatsPage;
import io.flagman.config.text.Suggest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The stats page of a frontend, backend or listen: {@code stats enable|uri|refresh|auth|realm|hide-version|admin}.
 * As in HAProxy every {@code stats} line, {@code admin} included, also enables the page. In a defaults section the
 * page is inherited by every proxy that says no {@code stats} line of its own (one that does starts afresh, as
 * HAProxy detaches it from the defaults' page).
 */
final class StatsPageKeyword implements Keyword<ProxyBuilder> {

    static final StatsPageKeyword INSTANCE = new StatsPageKeyword();

    static final List<String> SETTINGS = List.of("enable", "uri", "refresh", "auth", "realm", "hide-version",
            "admin", "show-legends", "show-node", "show-desc", "scope");
    private static final List<String> NOT_SUPPORTED = List.of("show-modules", "http-request", "disable",
            "bind-process");

    private StatsPageKeyword() {}

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String usage() {
        return "stats enable|uri <prefix>|refresh <delay>|auth <user>:<password>|realm <realm>|hide-version"
                + "|show-legends|show-node [<name>]|show-desc [<text>]|scope <proxy>|.|admin if|unless <condition>";
    }

    @Override
    public String summary() {
        return "the HTML stats page (and ;csv) served at the stats uri; admin actions when 'stats admin' allows them";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String what = d.word(1);
        if (what == null) {
            d.missing(1, "one of " + String.join(", ", SETTINGS));
            return;
        }
        if (NOT_SUPPORTED.contains(what)) {
            d.error(1, "'stats " + what + "' is not supported yet", "supported: stats " + String.join(", ", SETTINGS));
            return;
        }
        if (!SETTINGS.contains(what)) {
            String hint = Suggest.didYouMean(what, SETTINGS);
            d.error(1, "unknown stats setting '" + what + "'",
                    hint != null ? hint : "expected one of: " + String.join(", ", SETTINGS));
            return;
        }
        if (what.equals("admin")) {
            if (target.scope == Scope.DEFAULTS) {
                d.error(1, "'stats admin' is not allowed in a defaults section",
                        "put it in the frontend, backend or listen section that serves the page");
                return;
            }
            admin(d, target);
            return;
        }
        if (what.equals("show-desc")) {
            ProxyBuilder.Stats s = target.stats();
            s.line = d.number();
            StringBuilder text = new StringBuilder();
            for (int i = 2; i < d.size(); i++) {
                text.append(i > 2 ? " " : "").append(d.word(i));
            }
            s.showDesc = text.toString();
            return;
        }
        if (what.equals("show-node") && d.size() == 2) {
            ProxyBuilder.Stats s = target.stats();
            s.line = d.number();
            s.showNode = "";
            return;
        }
        int arity = what.equals("enable") || what.equals("hide-version") || what.equals("show-legends") ? 2 : 3;
        if (d.size() < arity) {
            d.missing(d.size(), what.equals("auth") ? "<user>:<password>"
                    : what.equals("scope") ? "a proxy name or '.'" : "a value");
            return;
        }
        if (what.equals("realm") && d.size() > arity) {
            // HAProxy reads the realm's first word only and drops the rest without a word; Flagman says so.
            d.warning(arity, "'stats realm' takes one word: the realm is '" + d.word(2) + "', '" + d.word(arity)
                    + "' and what follows are ignored (as HAProxy does)", "escape the spaces: stats realm "
                    + d.word(2) + "\\ " + d.word(arity));
        } else if (d.size() > arity) {
            d.error(arity, "'stats " + what + "': unexpected '" + d.word(arity) + "'", "usage: " + usage());
            return;
        }
        ProxyBuilder.Stats s = target.stats();
        s.line = d.number();
        String v = d.word(2);
        switch (what) {
            case "enable" -> { }
            case "hide-version" -> s.hideVersion = true;
            case "show-legends" -> s.showLegends = true;
            case "show-node" -> s.showNode = v;
            case "scope" -> s.scopes.add(v);
            case "uri" -> s.uri = v;
            case "realm" -> s.realm = v;
            case "refresh" -> {
                Long ms = Values.millis(v);
                if (ms == null) {
                    d.error(2, "stats refresh: invalid delay '" + v + "'", "e.g. 10s");
                    return;
                }
                s.refreshSeconds = (int) Math.max(1, (ms + 999) / 1000);
            }
            case "auth" -> {
                if (v.indexOf(':') <= 0) {
                    d.error(2, "stats auth: expected <user>:<password>, found '" + v + "'", "e.g. stats auth admin:s3cret");
                    return;
                }
                s.auths.add(v);
            }
            default -> throw new IllegalStateException(what);
        }
    }

    private static void admin(Directive d, ProxyBuilder target) {
        int at = ConditionSyntax.find(d, 2);
        if (at != 2) {
            d.error(2, "'stats admin' needs a condition", "e.g. stats admin if LOCALHOST or stats admin if TRUE");
            return;
        }
        Condition c = ConditionSyntax.parse(d, at);
        if (c != null) {
            target.statsAdmin.add(c);
            if (target.stats == null) {
                target.stats().line = d.number();
            }
        }
    }

    /** The page as the parser leaves it: null unless a {@code stats} line enabled it. */
    static StatsPage page(ProxyBuilder m) {
        ProxyBuilder.Stats s = m.stats;
        if (s == null) {
            return null;
        }
        List<String> scopes = s.scopes.stream().map(n -> n.equals(".") ? m.name : n).toList();
        return new StatsPage(s.uri != null ? s.uri : StatsPage.DEFAULT_URI, s.refreshSeconds,
                s.realm != null ? s.realm : StatsPage.DEFAULT_REALM, s.auths, s.hideVersion, m.statsAdmin,
                s.showLegends, s.showNode, s.showDesc, scopes, s.line);
    }
}
