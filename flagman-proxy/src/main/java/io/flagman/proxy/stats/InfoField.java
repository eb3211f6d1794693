package io.flagman.proxy.stats;

import java.util.List;

/** HAProxy 3.2's {@code show info} fields 0..78 in order ({@link #ordinal()} is the position), with tags and type. */
public enum InfoField {
    NAME("Name", "POS", StatType.STR),
    VERSION("Version", "POS", StatType.STR),
    RELEASE_DATE("Release_date", "POS", StatType.STR),
    NBTHREAD("Nbthread", "CGS", StatType.U32),
    NBPROC("Nbproc", "CGS", StatType.U32),
    PROCESS_NUM("Process_num", "KGP", StatType.U32),
    PID("Pid", "SGP", StatType.U32),
    UPTIME("Uptime", "MDP", StatType.STR),
    UPTIME_SEC("Uptime_sec", "MDP", StatType.U32),
    MEMMAX_MB("Memmax_MB", "CLP", StatType.U32),
    POOLALLOC_MB("PoolAlloc_MB", "MGP", StatType.U32),
    POOLUSED_MB("PoolUsed_MB", "MGP", StatType.U32),
    POOLFAILED("PoolFailed", "MCP", StatType.U32),
    ULIMIT_N("Ulimit-n", "CLP", StatType.U32),
    MAXSOCK("Maxsock", "CLP", StatType.U32),
    MAXCONN("Maxconn", "CLP", StatType.U32),
    HARD_MAXCONN("Hard_maxconn", "CLP", StatType.U32),
    CURRCONNS("CurrConns", "MGP", StatType.U32),
    CUMCONNS("CumConns", "MCP", StatType.U32),
    CUMREQ("CumReq", "MCP", StatType.U32),
    MAXSSLCONNS("MaxSslConns", "MMP", StatType.U32),
    CURRSSLCONNS("CurrSslConns", "MGP", StatType.U32),
    CUMSSLCONNS("CumSslConns", "MCP", StatType.U32),
    MAXPIPES("Maxpipes", "CLP", StatType.U32),
    PIPESUSED("PipesUsed", "MGP", StatType.U32),
    PIPESFREE("PipesFree", "MGP", StatType.U32),
    CONNRATE("ConnRate", "MRP", StatType.U32),
    CONNRATELIMIT("ConnRateLimit", "CLP", StatType.U32),
    MAXCONNRATE("MaxConnRate", "MMP", StatType.U32),
    SESSRATE("SessRate", "MRP", StatType.U32),
    SESSRATELIMIT("SessRateLimit", "CLP", StatType.U32),
    MAXSESSRATE("MaxSessRate", "MRP", StatType.U32),
    SSLRATE("SslRate", "MRP", StatType.U32),
    SSLRATELIMIT("SslRateLimit", "CLP", StatType.U32),
    MAXSSLRATE("MaxSslRate", "MMP", StatType.U32),
    SSLFRONTENDKEYRATE("SslFrontendKeyRate", "MGP", StatType.U32),
    SSLFRONTENDMAXKEYRATE("SslFrontendMaxKeyRate", "MMP", StatType.U32),
    SSLFRONTENDSESSIONREUSE_PCT("SslFrontendSessionReuse_pct", "MGP", StatType.U32),
    SSLBACKENDKEYRATE("SslBackendKeyRate", "MRP", StatType.U32),
    SSLBACKENDMAXKEYRATE("SslBackendMaxKeyRate", "MMP", StatType.U32),
    SSLCACHELOOKUPS("SslCacheLookups", "MCP", StatType.U32),
    SSLCACHEMISSES("SslCacheMisses", "MCP", StatType.U32),
    COMPRESSBPSIN("CompressBpsIn", "MRP", StatType.U32),
    COMPRESSBPSOUT("CompressBpsOut", "MRP", StatType.U32),
    COMPRESSBPSRATELIM("CompressBpsRateLim", "CLP", StatType.U32),
    ZLIBMEMUSAGE("ZlibMemUsage", "MGP", StatType.U32),
    MAXZLIBMEMUSAGE("MaxZlibMemUsage", "CLP", StatType.U32),
    TASKS("Tasks", "MGP", StatType.U32),
    RUN_QUEUE("Run_queue", "MGP", StatType.U32),
    IDLE_PCT("Idle_pct", "MaP", StatType.U32),
    NODE("node", "COS", StatType.STR),
    DESCRIPTION("description", "COS", StatType.STR),
    STOPPING("Stopping", "MGP", StatType.U32),
    JOBS("Jobs", "MGP", StatType.U32),
    UNSTOPPABLE_JOBS("Unstoppable Jobs", "MGP", StatType.U32),
    LISTENERS("Listeners", "MGP", StatType.U32),
    ACTIVEPEERS("ActivePeers", "MGP", StatType.U32),
    CONNECTEDPEERS("ConnectedPeers", "MGP", StatType.U32),
    DROPPEDLOGS("DroppedLogs", "MGP", StatType.U32),
    BUSYPOLLING("BusyPolling", "MGP", StatType.U32),
    FAILEDRESOLUTIONS("FailedResolutions", "MGP", StatType.U32),
    TOTALBYTESOUT("TotalBytesOut", "MGP", StatType.U64),
    TOTALSPLICEDBYTESOUT("TotalSplicedBytesOut", "MGP", StatType.U64),
    BYTESOUTRATE("BytesOutRate", "MRP", StatType.U64),
    DEBUGCOMMANDSISSUED("DebugCommandsIssued", "MGP", StatType.U32),
    CUMRECVLOGS("CumRecvLogs", "MCP", StatType.U32),
    BUILD_INFO("Build info", "POS", StatType.STR),
    MEMMAX_BYTES("Memmax_bytes", "CLP", StatType.U32),
    POOLALLOC_BYTES("PoolAlloc_bytes", "MGP", StatType.U64),
    POOLUSED_BYTES("PoolUsed_bytes", "MGP", StatType.U64),
    START_TIME_SEC("Start_time_sec", "MDP", StatType.U32),
    TAINTED("Tainted", "SGP", StatType.STR),
    TOTALWARNINGS("TotalWarnings", "MCP", StatType.U32),
    MAXCONNREACHED("MaxconnReached", "MCP", StatType.U32),
    BOOTTIME_MS("BootTime_ms", "MDP", StatType.U32),
    NICED_TASKS("Niced_tasks", "MGP", StatType.U32),
    CURRSTREAMS("CurrStreams", "MGP", StatType.U64),
    CUMSTREAMS("CumStreams", "MGP", StatType.U64),
    BLOCKEDTRAFFICWARNINGS("BlockedTrafficWarnings", "MGP", StatType.U32);

    public static final List<InfoField> ALL = List.of(values());

    private final String fieldName;
    private final String tags;
    private final StatType type;

    InfoField(String fieldName, String tags, StatType type) {
        this.fieldName = fieldName;
        this.tags = tags;
        this.type = type;
    }

    /** The name as {@code show info} prints it ({@code Uptime_sec}). */
    public String fieldName() {
        return fieldName;
    }

    public int position() {
        return ordinal();
    }

    public String tags() {
        return tags;
    }

    public StatType type() {
        return type;
    }
}
