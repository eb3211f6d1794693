package io.flagman.config.model;

/** Boolean {@code option <name>} flags (those with arguments have their own records). */
public enum ProxyOption {
    HTTPLOG("httplog"),
    TCPLOG("tcplog"),
    HTTP_SERVER_CLOSE("http-server-close"),
    HTTPCLOSE("httpclose"),
    HTTP_KEEP_ALIVE("http-keep-alive"),
    REDISPATCH("redispatch"),
    DONTLOGNULL("dontlognull"),
    LOG_HEALTH_CHECKS("log-health-checks"),
    HTTP_BUFFER_REQUEST("http-buffer-request"),
    TCPKA("tcpka"),
    CLITCPKA("clitcpka"),
    SRVTCPKA("srvtcpka"),
    ABORTONCLOSE("abortonclose"),
    SPLICE_AUTO("splice-auto"),
    LOG_SEPARATE_ERRORS("log-separate-errors"),
    DONTLOG_NORMAL("dontlog-normal"),
    /** Statistics per listener (bind) too: {@code show stat} gets a row per bind of the frontend. */
    SOCKET_STATS("socket-stats");

    private final String keyword;

    ProxyOption(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static ProxyOption fromKeyword(String word) {
        for (ProxyOption o : values()) {
            if (o.keyword.equals(word)) {
                return o;
            }
        }
        return null;
    }
}
