package io.flagman.config.model;

import java.util.List;

/**
 * One {@code http-request} or {@code http-response} rule. Every rule has an optional condition (null when
 * absent) and its source line.
 */
public sealed interface HttpRule {

    /** The service of HAProxy's Prometheus exporter. */
    String PROMETHEUS_EXPORTER = "prometheus-exporter";

    Condition condition();

    int line();

    /** {@code set-header <name> <fmt>}. */
    record SetHeader(String name, LogFormat value, Condition condition, int line) implements HttpRule {}

    /** {@code add-header <name> <fmt>}. */
    record AddHeader(String name, LogFormat value, Condition condition, int line) implements HttpRule {}

    /** {@code del-header <name> [-m str|beg|end|sub|reg]}; {@code method} null means str. */
    record DelHeader(String name, Match method, Condition condition, int line) implements HttpRule {}

    /** {@code redirect location|prefix|scheme <fmt> [code N] [option…]}. */
    record Redirect(RedirectType type, LogFormat value, int code, List<String> options, Condition condition, int line)
            implements HttpRule {
        public Redirect {
            options = List.copyOf(options);
        }
    }

    enum RedirectType {
        LOCATION,
        PREFIX,
        SCHEME
    }

    /**
     * {@code return [status N] [content-type T] [<format> <content>] [hdr <name> <fmt>]…}.
     *
     * @param format null when no payload is given
     * @param content the string, log-format string or file path, per {@code format}
     */
    record Return(
            int status,
            String contentType,
            ContentFormat format,
            String content,
            List<Header> headers,
            Condition condition,
            int line)
            implements HttpRule {
        public Return {
            headers = List.copyOf(headers);
        }
    }

    /** {@code deny [deny_status N] …}: a 403 unless another status is given. */
    record Deny(int status, Condition condition, int line) implements HttpRule {}

    /** {@code allow}: stop evaluating the remaining http-request rules. */
    record Allow(Condition condition, int line) implements HttpRule {}

    /** {@code auth [realm R]}: answer 401 with {@code WWW-Authenticate: Basic realm="R"}. */
    record Auth(String realm, Condition condition, int line) implements HttpRule {}

    /**
     * {@code use-service <name>}: the request is answered by a service of the data plane itself (only
     * {@code prometheus-exporter} exists). Final: no later rule runs.
     */
    record UseService(String service, Condition condition, int line) implements HttpRule {}

    /** A {@code hdr <name> <fmt>} of a return rule. */
    record Header(String name, LogFormat value) {}
}
