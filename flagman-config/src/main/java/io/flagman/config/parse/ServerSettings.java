package io.flagman.config.parse;

import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import java.time.Duration;

/**
 * The options of a {@code server} or {@code default-server} line as said; null = not said, so that a server's own
 * options override its proxy's {@code default-server}, which overrides the defaults section's.
 *
 * <p>The parser fills the options Flagman implements; the API also says the ones HAProxy knows and Flagman does not
 * implement yet (the second group), which {@link ServerKeyword} writes and the parser then refuses by name.
 * {@link DirectiveWriter#server(String, String, ServerSettings)} writes exactly what is set, so an explicit
 * {@code weight 1} is kept even though it is HAProxy's default.
 */
public final class ServerSettings {
    public Integer weight;
    public Boolean backup;
    public Boolean disabled;
    public Integer maxconn;
    public Boolean check;
    public Duration inter;
    public Integer rise;
    public Integer fall;
    public SendProxy sendProxy;
    public Boolean ssl;
    public String verify;
    public String sni;
    /** {@code port}: the health-check port. */
    public Long checkPort;
    /** {@code addr}: the health-check address (an IP literal). */
    public String checkAddr;

    // ---- said through the API, not implemented by Flagman (the parser refuses them) ----
    public Boolean checkSsl;
    public Boolean tfo;
    public Boolean agentCheck;
    public String observe;
    public String onError;
    public Long maxqueue;
    public Long minconn;
    public Long id;
    public Duration fastinter;
    public Duration downinter;
    public Duration slowstart;
    public String cookie;
    public String caFile;
    public String crt;
    public String alpn;
    public String proto;
    public String source;
    public String track;
    public String initAddr;
    public String resolvers;
    public String checkAlpn;
    public String checkSni;

    /** A copy of {@code base} overridden by every value this one sets. */
    ServerSettings over(ServerSettings base) {
        ServerSettings out = new ServerSettings();
        out.weight = weight != null ? weight : base.weight;
        out.backup = backup != null ? backup : base.backup;
        out.disabled = disabled != null ? disabled : base.disabled;
        out.maxconn = maxconn != null ? maxconn : base.maxconn;
        out.check = check != null ? check : base.check;
        out.inter = inter != null ? inter : base.inter;
        out.rise = rise != null ? rise : base.rise;
        out.fall = fall != null ? fall : base.fall;
        out.sendProxy = sendProxy != null ? sendProxy : base.sendProxy;
        out.ssl = ssl != null ? ssl : base.ssl;
        out.verify = verify != null ? verify : base.verify;
        out.sni = sni != null ? sni : base.sni;
        out.checkPort = checkPort != null ? checkPort : base.checkPort;
        out.checkAddr = checkAddr != null ? checkAddr : base.checkAddr;
        return out;
    }

    /** What a server says beyond HAProxy's defaults: only the values that differ from them are set. */
    static ServerSettings of(Server s) {
        ServerSettings out = new ServerSettings();
        out.check = s.check() ? Boolean.TRUE : null;
        out.inter = s.inter().equals(Server.DEFAULT_INTER) ? null : s.inter();
        out.rise = s.rise() != Server.DEFAULT_RISE ? s.rise() : null;
        out.fall = s.fall() != Server.DEFAULT_FALL ? s.fall() : null;
        out.weight = s.weight() != Server.DEFAULT_WEIGHT ? s.weight() : null;
        out.maxconn = s.maxconn() != 0 ? s.maxconn() : null;
        out.backup = s.backup() ? Boolean.TRUE : null;
        out.disabled = s.disabled() ? Boolean.TRUE : null;
        out.sendProxy = s.sendProxy() == SendProxy.NONE ? null : s.sendProxy();
        out.ssl = s.ssl() ? Boolean.TRUE : null;
        out.verify = s.verify();
        out.sni = s.sni();
        out.checkPort = s.checkPort() > 0 ? (long) s.checkPort() : null;
        out.checkAddr = s.checkAddr();
        return out;
    }

    Server toServer(String name, String host, int port, int line) {
        return new Server(name, host, port,
                weight != null ? weight : Server.DEFAULT_WEIGHT,
                backup != null && backup,
                disabled != null && disabled,
                maxconn != null ? maxconn : 0,
                check != null && check,
                inter != null ? inter : Server.DEFAULT_INTER,
                rise != null ? rise : Server.DEFAULT_RISE,
                fall != null ? fall : Server.DEFAULT_FALL,
                sendProxy != null ? sendProxy : SendProxy.NONE,
                ssl != null && ssl,
                verify,
                sni,
                checkPort != null ? checkPort.intValue() : 0,
                checkAddr,
                line);
    }
}
