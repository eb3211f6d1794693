package io.flagman.config.parse;

import io.flagman.config.model.Acl;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Bind;
import io.flagman.config.model.ErrorFile;
import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.HttpCheck;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogTarget;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Timeout;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one defaults, frontend, backend or listen section says by itself, before defaults are applied. Unset
 * values stay null so that resolution can tell "not said" from "said the default".
 */
final class ProxyBuilder {

    /** A log line: either {@code log global} ({@code global} true) or a target. */
    record Log(boolean global, LogTarget target) {}

    /** Marks {@code no option forwardfor} / {@code no option httpchk}. */
    static final ForwardFor FORWARDFOR_OFF = new ForwardFor(null, "", false);

    static final HttpCheck HTTPCHK_OFF = new HttpCheck("", "", "");

    final Scope scope;
    final String name;
    final int line;
    final boolean listen;
    String from;

    Mode mode;
    Balance balance;
    final Set<ProxyOption> options = EnumSet.noneOf(ProxyOption.class);
    final Set<ProxyOption> disabledOptions = EnumSet.noneOf(ProxyOption.class);
    ForwardFor forwardFor;
    HttpCheck httpCheck;
    final Map<Timeout, Duration> timeouts = new EnumMap<>(Timeout.class);
    Integer retries;
    Integer maxconn;
    Integer backlog;
    boolean noLog;
    final List<Log> logs = new ArrayList<>();
    final Map<Integer, ErrorFile> errorFiles = new LinkedHashMap<>();
    ServerSettings defaultServer;
    String defaultBackend;
    int defaultBackendLine;
    boolean disabled;

    final List<Bind> binds = new ArrayList<>();
    final List<ServerKeyword.Parsed> servers = new ArrayList<>();
    final List<Acl> acls = new ArrayList<>();
    final List<HttpRule> httpRequestRules = new ArrayList<>();
    final List<HttpRule> httpResponseRules = new ArrayList<>();
    /** {@code monitor-uri}, null when unset; inherited from defaults. */
    String monitorUri;
    int monitorUriLine;
    final List<HttpRule> redirectRules = new ArrayList<>();
    final List<UseBackend> useBackends = new ArrayList<>();
    final List<UseServer> useServers = new ArrayList<>();

    /** The {@code stats} lines that enable the page; null when none. */
    Stats stats;
    final List<io.flagman.config.model.Condition> statsAdmin = new ArrayList<>();

    /** What the {@code stats} lines said (null = not said). */
    static final class Stats {
        String uri;
        String realm;
        int refreshSeconds;
        boolean hideVersion;
        boolean showLegends;
        String showNode;
        String showDesc;
        final List<String> scopes = new ArrayList<>();
        final List<String> auths = new ArrayList<>();
        int line;
    }

    Stats stats() {
        if (stats == null) {
            stats = new Stats();
        }
        return stats;
    }

    ProxyBuilder(Scope scope, String name, int line, boolean listen) {
        this.scope = scope;
        this.name = name;
        this.line = line;
        this.listen = listen;
    }
}
