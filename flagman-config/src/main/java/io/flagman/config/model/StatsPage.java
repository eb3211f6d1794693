package io.flagman.config.model;

import java.util.List;

/**
 * The stats page of a proxy: {@code stats enable}, {@code stats uri}, {@code stats refresh}, {@code stats auth},
 * {@code stats realm}, {@code stats hide-version} and {@code stats admin if <cond>}.
 *
 * @param uri the URI prefix that serves the page (HAProxy's default {@code /haproxy?stats})
 * @param refreshSeconds the {@code refresh} header's delay, 0 when not said
 * @param realm the Basic-auth realm (HAProxy's default {@code HAProxy Statistics})
 * @param auths {@code user:password} pairs; empty = no authentication
 * @param admin the {@code stats admin} conditions (OR-ed); empty = admin actions refused
 * @param showLegends {@code stats show-legends}: each proxy's table also says its mode, id and servers' addresses
 * @param showNode {@code stats show-node [name]}: null = not shown, "" = the process's node name (host name)
 * @param showDesc {@code stats show-desc [text]}: null = not shown, "" = the global description (none in Flagman)
 * @param scopes {@code stats scope <proxy>} names (with {@code .} read as this proxy); empty = every proxy
 */
public record StatsPage(String uri, int refreshSeconds, String realm, List<String> auths, boolean hideVersion,
        List<Condition> admin, boolean showLegends, String showNode, String showDesc, List<String> scopes,
        int line) {

    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsPage {
        auths = List.copyOf(auths);
        admin = List.copyOf(admin);
        scopes = List.copyOf(scopes);
    }

    public StatsPage(String uri, int refreshSeconds, String realm, List<String> auths, boolean hideVersion,
            List<Condition> admin, int line) {
        this(uri, refreshSeconds, realm, auths, hideVersion, admin, false, null, null, List.of(), line);
    }
}
