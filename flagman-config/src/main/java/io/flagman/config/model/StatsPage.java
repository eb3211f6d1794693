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
 */
public record StatsPage(String uri, int refreshSeconds, String realm, List<String> auths, boolean hideVersion,
        List<Condition> admin, int line) {

    public static final String DEFAULT_URI = "/haproxy?stats";
    public static final String DEFAULT_REALM = "HAProxy Statistics";

    public StatsPage {
        auths = List.copyOf(auths);
        admin = List.copyOf(admin);
    }
}
