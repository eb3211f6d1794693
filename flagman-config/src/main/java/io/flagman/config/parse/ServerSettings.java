package io.flagman.config.parse;

import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import java.time.Duration;

/**
 * The options of a {@code server} or {@code default-server} line; null = not said, so that a server's own
 * options override its proxy's {@code default-server}, which overrides the defaults section's.
 */
final class ServerSettings {
    Integer weight;
    Boolean backup;
    Boolean disabled;
    Integer maxconn;
    Boolean check;
    Duration inter;
    Integer rise;
    Integer fall;
    SendProxy sendProxy;
    Boolean ssl;
    String verify;
    String sni;

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
                line);
    }
}
