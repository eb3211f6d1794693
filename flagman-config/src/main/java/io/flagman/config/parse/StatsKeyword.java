package io.flagman.config.parse;

import io.flagman.config.model.BindAddress;
import io.flagman.config.model.StatsSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The global {@code stats} settings: {@code stats socket <address> [mode <octal>] [level user|operator|admin]
 * [expose-fd listeners] [severity-output …]}, {@code stats timeout <duration>} and {@code stats maxconn <n>}.
 */
final class StatsKeyword implements Keyword<GlobalBuilder> {

    static final StatsKeyword INSTANCE = new StatsKeyword();

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String usage() {
        return "stats socket <path>|ipv4@<host>:<port>|ipv6@<host>:<port> [mode <octal>] [level user|operator|admin]"
                + " | stats timeout <duration> | stats maxconn <number>";
    }

    @Override
    public String summary() {
        return "the runtime socket (HAProxy's CLI: show servers state, set server…): see docs/runtime.md";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.GLOBAL);
    }

    @Override
    public void parse(Directive d, GlobalBuilder target) {
        String what = d.word(1);
        if (what == null) {
            d.missing(1, "'socket', 'timeout' or 'maxconn'");
            return;
        }
        switch (what) {
            case "socket" -> socket(d, target);
            case "timeout" -> {
                Duration v = Values.duration(d, 2);
                if (v != null) {
                    if (v.isZero()) {
                        d.error(2, "'stats timeout' must be greater than 0", "e.g. stats timeout 2m");
                    } else {
                        target.statsTimeout = v;
                    }
                }
            }
            case "maxconn" -> {
                Integer v = Values.integer(d.shift(1), 1, 1, 1_000_000, "number of connections");
                if (v != null) {
                    target.statsMaxconn = v;
                }
            }
            case "bind-process" -> d.warning(0, "'stats bind-process' has no effect in Flagman",
                    "Flagman is one process: every runtime socket serves it");
            default -> d.error(1, "unknown stats setting '" + what + "'", "expected socket, timeout or maxconn");
        }
    }

    private static void socket(Directive d, GlobalBuilder target) {
        String text = d.word(2);
        if (text == null) {
            d.missing(2, "a socket address");
            return;
        }
        BindAddress address = address(d, text);
        if (address == null) {
            return;
        }
        int mode = -1;
        StatsSocket.Level level = StatsSocket.Level.OPERATOR;
        for (int i = 3; i < d.size(); i++) {
            String option = d.word(i);
            String value = d.word(i + 1);
            switch (option) {
                case "mode" -> {
                    if (value == null) {
                        d.missing(i + 1, "an octal file mode");
                        return;
                    }
                    if (!value.matches("[0-7]{1,4}")) {
                        d.error(i + 1, "'stats socket': invalid mode '" + value + "'", "expected an octal mode, e.g. 600");
                        return;
                    }
                    mode = Integer.parseInt(value, 8);
                    i++;
                }
                case "level" -> {
                    if (value == null) {
                        d.missing(i + 1, "user, operator or admin");
                        return;
                    }
                    switch (value) {
                        case "user" -> level = StatsSocket.Level.USER;
                        case "operator" -> level = StatsSocket.Level.OPERATOR;
                        case "admin" -> level = StatsSocket.Level.ADMIN;
                        default -> {
                            d.error(i + 1, "'stats socket': unknown level '" + value + "'",
                                    "expected user, operator or admin");
                            return;
                        }
                    }
                    i++;
                }
                case "expose-fd" -> {
                    d.warning(i, "'expose-fd' has no effect in Flagman",
                            "Flagman reloads in-process and never hands its listeners to another process");
                    i++;
                }
                case "user", "group", "uid", "gid", "severity-output" -> {
                    d.warning(i, "'" + option + "' on a stats socket has no effect in Flagman",
                            option.equals("severity-output") ? "use 'set severity-output' on the connection"
                                    : "the socket file belongs to the user running Flagman; set its 'mode'");
                    i++;
                }
                default -> {
                    d.error(i, "'stats socket': unknown option '" + option + "'",
                            "expected mode, level, expose-fd, user, group, uid, gid or severity-output");
                    return;
                }
            }
        }
        if (mode >= 0 && address.family() != BindAddress.Family.UNIX) {
            d.warning(3, "'mode' only applies to a unix socket", "'" + text + "' is a TCP socket");
        }
        target.statsSockets.add(new StatsSocket(address, mode, level, d.number()));
    }

    private static BindAddress address(Directive d, String text) {
        StringBuilder error = new StringBuilder();
        BindAddress a = Values.bindAddress(text, error);
        if (a == null) {
            d.error(2, "'stats socket': invalid address '" + text + "': " + error,
                    "expected a unix socket path, ipv4@<host>:<port> or ipv6@<host>:<port>");
            return null;
        }
        if (a.family() == BindAddress.Family.UNIX) {
            Path parent = Path.of(a.path()).toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                d.error(2, "'stats socket': the directory of '" + a.path() + "' does not exist",
                        "create " + parent + " or choose a path in an existing directory");
                return null;
            }
            return a;
        }
        if (a.family() == BindAddress.Family.ANY) {
            d.error(2, "'stats socket': '" + text + "' needs a family prefix",
                    "write ipv4@" + text + " (or ipv6@…, or a unix socket path)");
            return null;
        }
        if (a.port() == 0 || a.port() != a.portEnd()) {
            d.error(2, "'stats socket': '" + text + "' needs one port", "e.g. ipv4@127.0.0.1:9999");
            return null;
        }
        return a;
    }

    /** {@code stats socket <address> [level <level>] [mode <mode>]} as said (null = not said). */
    static List<String> writeSocket(String address, String level, String mode) {
        List<String> w = new ArrayList<>(List.of("stats", "socket", address));
        Values.option(w, "level", level);
        Values.option(w, "mode", mode);
        return w;
    }
}
