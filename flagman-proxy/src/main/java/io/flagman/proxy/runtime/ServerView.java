package io.flagman.proxy.runtime;

import io.flagman.config.model.Server;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One server's live state in HAProxy's numbers, as {@code show servers state} (and the server-state file) print
 * them: operational state, admin-state bits, weights, check status/result/health/state.
 */
record ServerView(ServerEndpoint endpoint, boolean runtimeAdded) {
    static final int OP_STOPPED = 0;
    static final int OP_RUNNING = 2;
    static final int ADMIN_FMAINT = 0x01;
    static final int ADMIN_CMAINT = 0x04;
    static final int ADMIN_FDRAIN = 0x08;
    static final int CHK_CONFIGURED = 0x02;
    static final int CHK_ENABLED = 0x04;
    static final int CHK_PAUSED = 0x08;

    ServerState state() {
        return endpoint.state();
    }

    Server server() {
        return endpoint.server();
    }

    int opState() {
        return state().running() ? OP_RUNNING : OP_STOPPED;
    }

    int adminState() {
        // CMAINT stays while the configuration says 'disabled', also after 'state ready' (observed in HAProxy).
        int cmaint = state().configuredDisabled() && !runtimeAdded ? ADMIN_CMAINT : 0;
        return cmaint | switch (state().adminState()) {
            case READY -> 0;
            case DRAIN -> ADMIN_FDRAIN;
            case MAINT -> ADMIN_FMAINT;
        };
    }

    int userWeight() {
        return endpoint.weight();
    }

    int initialWeight() {
        return server().weight();
    }

    long secondsSinceChange() {
        return Math.max(0, (System.nanoTime() - state().lastChangeNanos()) / 1_000_000_000L);
    }

    /** HAProxy's check status number (HCHK_STATUS_*): 1 INI without a check. */
    int checkStatus() {
        ServerState.CheckReport r = state().lastCheck();
        if (r == null) {
            return 1;
        }
        return switch (r.status()) {
            case "INI" -> 1;
            case "L4OK" -> 6;
            case "L4TOUT" -> 7;
            case "L4CON" -> 8;
            case "L6OK" -> 9;
            case "L6TOUT" -> 10;
            case "L6RSP" -> 11;
            case "L7TOUT" -> 12;
            case "L7RSP" -> 13;
            case "L7OK" -> 15;
            case "L7OKC" -> 16;
            case "L7STS" -> 17;
            case "SOCKERR" -> 5;
            default -> 0;
        };
    }

    /** 0 UNKNOWN, 2 FAILED, 3 PASSED. */
    int checkResult() {
        int st = checkStatus();
        return switch (st) {
            case 0, 1 -> 0;
            case 6, 9, 15 -> 3;
            case 16 -> 4;
            default -> 2;
        };
    }

    /** 0 … rise+fall-1; UP when ≥ rise. 0 in maintenance; {@code rise} without a check (HAProxy's start value). */
    int checkHealth() {
        Server s = server();
        if (state().adminState() == ServerState.AdminState.MAINT) {
            return 0;
        }
        ServerState.CheckReport r = state().lastCheck();
        if (r == null || !s.check()) {
            // HAProxy starts an unchecked server at rise and zeroes it in maintenance; no check raises it again
            return state().beenInMaintenance() ? 0 : s.rise();
        }
        String st = r.state();
        int rise = s.rise();
        int fall = s.fall();
        if (st.equals("UP")) {
            return rise + fall - 1;
        }
        if (st.equals("DOWN")) {
            return 0;
        }
        int space = st.indexOf(' ');
        int slash = st.indexOf('/');
        int n = Integer.parseInt(st.substring(space + 1, slash));
        return st.startsWith("UP") ? n + rise - 1 : n;
    }

    int checkState() {
        int flags = 0;
        if (server().check()) {
            flags |= CHK_CONFIGURED;
            if (state().checkEnabled()) {
                flags |= CHK_ENABLED;
            }
        }
        // As HAProxy (observed): maintenance pauses an enabled check; a server without a check shows PAUSED only
        // when the configuration says 'disabled'; a check never enabled (a server just added) is not paused.
        boolean maint = state().adminState() == ServerState.AdminState.MAINT;
        boolean paused = server().check() ? maint && state().checkEnabled()
                : state().configuredDisabled() && !runtimeAdded;
        if (paused) {
            flags |= CHK_PAUSED;
        }
        return flags;
    }

    /** The address as text (no brackets, no port), or {@code -} when it is not an IP address. */
    String address() {
        InetSocketAddress a = endpoint.address();
        InetAddress ip = a.getAddress();
        return ip == null ? "-" : ipText(ip);
    }

    int port() {
        return endpoint.address().getPort();
    }

    /** The hostname the configuration gives, or {@code -} for an IP literal. */
    String fqdn() {
        String host = server().host();
        if (host == null || host.isEmpty() || host.indexOf(':') >= 0 || host.matches("[0-9.]+")) {
            return "-";
        }
        return host;
    }

    /** An IP as HAProxy prints it: dotted IPv4, compressed IPv6 ({@code ::1}). */
    static String ipText(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        byte[] b = ip.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
