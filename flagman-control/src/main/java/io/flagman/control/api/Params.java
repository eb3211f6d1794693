package io.flagman.control.api;

import io.flagman.control.ApiException;
import io.flagman.control.service.ConfigService;

/** Query parameters with the Data Plane API's types and messages. */
final class Params {

    private Params() {}

    /** The header that describes a change (it reaches the commit gate with the author). */
    static final String MESSAGE_HEADER = "X-Flagman-Message";

    /** Who makes this call's change: the authenticated user and the {@code X-Flagman-Message} header. */
    static ConfigService.Author author(Router.Call c) {
        String message = c.request().header(MESSAGE_HEADER);
        return new ConfigService.Author(c.user(), message == null || message.isBlank() ? null : message.strip());
    }

    static long version(Router.Call c) {
        return longParam(c, "version");
    }

    static long longParam(Router.Call c, String name) {
        String v = c.request().param(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " in query must be of type integer: \"" + v + "\"");
        }
    }

    /** Exactly one of {@code version} and {@code transaction_id} must be given for a write. */
    static void versionOrTransaction(long version, String transactionId) {
        if (version != 0 && transactionId != null) {
            throw ApiException.badRequest("both version and transaction specified, specify only one");
        }
        if (version == 0 && transactionId == null) {
            throw ApiException.badRequest("version or transaction not specified: version or transaction not"
                    + " specified, specify only one");
        }
    }

    static String transaction(Router.Call c) {
        String v = c.request().param("transaction_id");
        return v == null || v.isEmpty() ? null : v;
    }

    static boolean bool(Router.Call c, String name) {
        String v = c.request().param(name);
        if (v == null || v.isEmpty()) {
            return false;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest(name + " in query must be of type boolean: \"" + v + "\"");
        };
    }

    /** {@code force_reload}; with a transaction it is an error, checked before anything else. */
    static boolean forceReload(Router.Call c) {
        boolean force = bool(c, "force_reload");
        if (force && transaction(c) != null) {
            throw ApiException.badRequest("Both force_reload and transaction specified, specify only one");
        }
        return force;
    }

    static int index(Router.Call c) {
        String v = c.param("index");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("index in path must be of type integer: \"" + v + "\"");
        }
    }
}
