package io.flagman.proxy;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Bind;
import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** A data plane under test, configured from HAProxy config text. */
final class ProxyFixture implements AutoCloseable {
    final DataPlane dataPlane = new DataPlane(2);

    static Config parse(String text) {
        LoadResult r = ConfigLoader.fromText("test.cfg", text, Path.of("."));
        if (!r.ok()) {
            throw new IllegalArgumentException("config does not load: " + r.errors() + "\n" + text);
        }
        return ephemeralPorts(r.config());
    }

    /**
     * HAProxy's language has no port 0; tests write ports 1..9 (":1") and get an ephemeral port for each such
     * bind.
     */
    static Config ephemeralPorts(Config c) {
        List<Frontend> fes = c.frontends().stream().map(f -> new Frontend(f.name(), f.mode(), f.binds().stream()
                .map(b -> b.address().port() >= 10 ? b : new Bind(new BindAddress(b.address().family(),
                        b.address().host(), 0, 0, b.address().path(), b.address().text()), b.name(), b.acceptProxy(),
                        b.ssl(), b.certificates(), b.maxconn(), b.backlog(), b.alpn(), b.v4v6(), b.v6only(),
                        b.line()))
                .toList(), f.maxconn(), f.backlog(), f.acls(), f.httpRequestRules(), f.httpResponseRules(),
                f.redirectRules(), f.useBackends(), f.defaultBackend(), f.options(), f.forwardFor(), f.timeouts(), f.logs(),
                f.errorFiles(), f.stats(), f.listen(), f.disabled(), f.line(), f.defaultBackendLine())).toList();
        return new Config(c.version(), c.global(), c.defaults(), fes, c.backends(), c.userlists());
    }

    ProxyFixture apply(String text) throws ApplyException {
        dataPlane.apply(parse(text));
        return this;
    }

    InetSocketAddress address(String frontend) {
        List<InetSocketAddress> a = dataPlane.boundAddresses(frontend);
        if (a.isEmpty()) {
            throw new IllegalStateException("frontend " + frontend + " listens nowhere");
        }
        return new InetSocketAddress("127.0.0.1", a.get(0).getPort());
    }

    @Override
    public void close() {
        dataPlane.close();
    }
}
