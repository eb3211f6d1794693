package io.flagman.proxy;

import io.flagman.proxy.stats.InfoField;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Builds {@code show info} from the process's facts and the frontends' rows of {@code show stat}. */
final class InfoCollector {
    /** What {@code Name} says. */
    static final String NAME = "Flagman";

    private InfoCollector() {}

    /** The facts of the process that are not counters. */
    record Process(int threads, long startMillis, long startNanos, long bootMillis, int maxconn, int listeners,
            boolean stopping) {}

    static ProcessInfo info(Process p, List<StatRow> rows, long nowNanos) {
        long conns = 0;
        long cumConns = 0;
        long cumReq = 0;
        long connRate = 0;
        long maxConnRate = 0;
        long sessRate = 0;
        long maxSessRate = 0;
        long bytesOut = 0;
        for (StatRow r : rows) {
            if (r.object() != StatObject.FRONTEND) {
                continue;
            }
            conns += r.number(StatField.SCUR);
            cumConns += r.number(StatField.CONN_TOT);
            cumReq += r.number(StatField.REQ_TOT);
            connRate += r.number(StatField.CONN_RATE);
            maxConnRate = Math.max(maxConnRate, r.number(StatField.CONN_RATE_MAX));
            sessRate += r.number(StatField.RATE);
            maxSessRate = Math.max(maxSessRate, r.number(StatField.RATE_MAX));
            bytesOut += r.number(StatField.BOUT);
        }
        long uptime = Math.max(0, (nowNanos - p.startNanos()) / 1_000_000_000L);
        long fds = maxFileDescriptors();
        String version = version();
        ProcessInfo.Builder b = ProcessInfo.builder()
                .set(InfoField.NAME, NAME)
                .set(InfoField.VERSION, version)
                .set(InfoField.NBTHREAD, p.threads())
                .set(InfoField.NBPROC, 1)
                .set(InfoField.PROCESS_NUM, 1)
                .set(InfoField.PID, ProcessHandle.current().pid())
                .set(InfoField.UPTIME, uptimeText(uptime))
                .set(InfoField.UPTIME_SEC, uptime)
                .set(InfoField.MEMMAX_MB, 0)
                .set(InfoField.POOLALLOC_MB, 0)
                .set(InfoField.POOLUSED_MB, 0)
                .set(InfoField.POOLFAILED, 0)
                .set(InfoField.ULIMIT_N, fds)
                .set(InfoField.MAXSOCK, fds)
                .set(InfoField.MAXCONN, p.maxconn())
                .set(InfoField.HARD_MAXCONN, p.maxconn())
                .set(InfoField.CURRCONNS, conns)
                .set(InfoField.CUMCONNS, cumConns)
                .set(InfoField.CUMREQ, cumReq);
        for (InfoField f : List.of(InfoField.MAXSSLCONNS, InfoField.CURRSSLCONNS, InfoField.CUMSSLCONNS,
                InfoField.MAXPIPES, InfoField.PIPESUSED, InfoField.PIPESFREE)) {
            b.set(f, 0);
        }
        b.set(InfoField.CONNRATE, connRate).set(InfoField.CONNRATELIMIT, 0).set(InfoField.MAXCONNRATE, maxConnRate)
                .set(InfoField.SESSRATE, sessRate).set(InfoField.SESSRATELIMIT, 0)
                .set(InfoField.MAXSESSRATE, maxSessRate);
        for (int i = InfoField.SSLRATE.ordinal(); i <= InfoField.IDLE_PCT.ordinal(); i++) {
            b.set(InfoField.ALL.get(i), 0);
        }
        b.set(InfoField.IDLE_PCT, 100)
                .set(InfoField.NODE, hostname())
                .set(InfoField.STOPPING, p.stopping() ? 1 : 0)
                .set(InfoField.JOBS, conns + p.listeners())
                .set(InfoField.UNSTOPPABLE_JOBS, 0)
                .set(InfoField.LISTENERS, p.listeners());
        for (int i = InfoField.ACTIVEPEERS.ordinal(); i <= InfoField.CUMRECVLOGS.ordinal(); i++) {
            b.set(InfoField.ALL.get(i), 0);
        }
        b.set(InfoField.TOTALBYTESOUT, bytesOut)
                .set(InfoField.BUILD_INFO, version)
                .set(InfoField.MEMMAX_BYTES, 0).set(InfoField.POOLALLOC_BYTES, 0).set(InfoField.POOLUSED_BYTES, 0)
                .set(InfoField.START_TIME_SEC, p.startMillis() / 1000)
                .set(InfoField.TAINTED, "0")
                .set(InfoField.TOTALWARNINGS, 0)
                .set(InfoField.MAXCONNREACHED, 0)
                .set(InfoField.BOOTTIME_MS, p.bootMillis())
                .set(InfoField.NICED_TASKS, 0)
                .set(InfoField.CURRSTREAMS, conns)
                .set(InfoField.CUMSTREAMS, cumConns)
                .set(InfoField.BLOCKEDTRAFFICWARNINGS, 0);
        return b.build();
    }

    /** HAProxy's {@code %ud %uh%02um%02us}. */
    static String uptimeText(long seconds) {
        return String.format("%dd %dh%02dm%02ds", seconds / 86400, (seconds / 3600) % 24, (seconds / 60) % 60,
                seconds % 60);
    }

    static String version() {
        String v = DataPlane.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return 0;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
