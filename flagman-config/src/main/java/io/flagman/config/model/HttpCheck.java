package io.flagman.config.model;

/** {@code option httpchk [<method>] [<uri>] [<version>]}; defaults OPTIONS / HTTP/1.0 as in HAProxy. */
public record HttpCheck(String method, String uri, String version) {
    public static final HttpCheck DEFAULT = new HttpCheck("OPTIONS", "/", "HTTP/1.0");
}
