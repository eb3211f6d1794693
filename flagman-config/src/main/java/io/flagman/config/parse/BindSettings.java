package io.flagman.config.parse;

import io.flagman.config.model.Bind;
import java.util.List;

/**
 * The options of a {@code bind} line as said; null (or an empty list) = not said. {@link BindKeyword} writes exactly
 * what is set. The second group holds options HAProxy knows and Flagman does not implement yet: the API may say
 * them, and the parser then refuses them by name.
 */
public final class BindSettings {
    public String name;
    public Boolean acceptProxy;
    public Boolean ssl;
    public List<String> certificates = List.of();
    public String alpn;
    public Long maxconn;
    /** As written (the parser reads a number). */
    public String backlog;
    public Boolean v4v6;
    public Boolean v6only;

    // ---- said through the API, not implemented by Flagman ----
    public Boolean transparent;
    public Boolean deferAccept;
    public Boolean tfo;
    public Boolean allow0rtt;
    public Boolean noAlpn;
    public Boolean strictSni;
    public Boolean preferClientCiphers;
    public String caFile;
    public String crtList;
    public String ciphers;
    public String ciphersuites;
    public String verify;
    public String sslMinVer;
    public String sslMaxVer;
    public String thread;
    public String level;
    public String mode;
    public String iface;
    public String namespace;
    public String proto;
    public String user;
    public String group;
    public Long id;

    /** What a bind says beyond HAProxy's defaults. */
    static BindSettings of(Bind b) {
        BindSettings s = new BindSettings();
        s.name = b.name();
        s.acceptProxy = b.acceptProxy() ? Boolean.TRUE : null;
        s.ssl = b.ssl() ? Boolean.TRUE : null;
        s.certificates = b.certificates();
        s.alpn = b.alpn();
        s.maxconn = b.maxconn() != 0 ? (long) b.maxconn() : null;
        s.backlog = b.backlog() != 0 ? Integer.toString(b.backlog()) : null;
        s.v4v6 = b.v4v6() ? Boolean.TRUE : null;
        s.v6only = b.v6only() ? Boolean.TRUE : null;
        return s;
    }
}
