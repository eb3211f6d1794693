package io.flagman.proxy.stats;

import java.util.List;

/**
 * HAProxy 3.2's {@code show stat} columns 0..112, in order ({@link #ordinal()} is the column's position), each with
 * the kinds of object it applies to (other kinds leave the cell empty), its typed tags (origin, nature, scope) and
 * value type. Module columns (after the {@code -} separator) are {@link ModuleField}.
 */
public enum StatField {
    PXNAME("pxname", "LFBS", "KNS", null, StatType.STR),
    SVNAME("svname", "LFBS", "KNS", null, StatType.STR),
    QCUR("qcur", "BS", "MGP", null, StatType.U32),
    QMAX("qmax", "BS", "MMP", null, StatType.U32),
    SCUR("scur", "LFBS", "MGP", null, StatType.U32),
    SMAX("smax", "LFBS", "MMP", null, StatType.U32),
    SLIM("slim", "LFBS", "CLP", null, StatType.U32),
    STOT("stot", "LFBS", "MCP", null, StatType.U64),
    BIN("bin", "LFBS", "MCP", null, StatType.U64),
    BOUT("bout", "LFBS", "MCP", null, StatType.U64),
    DREQ("dreq", "LFB", "MCP", null, StatType.U64),
    DRESP("dresp", "LFBS", "MCP", null, StatType.U64),
    EREQ("ereq", "LF", "MCP", null, StatType.U64),
    ECON("econ", "BS", "MCP", null, StatType.U64),
    ERESP("eresp", "BS", "MCP", null, StatType.U64),
    WRETR("wretr", "BS", "MCP", null, StatType.U64),
    WREDIS("wredis", "BS", "MCP", null, StatType.U64),
    STATUS("status", "LFBS", "SGP", null, StatType.STR),
    WEIGHT("weight", "BS", "MaP", null, StatType.U32),
    ACT("act", "BS", "SGP", "MGP", StatType.U32),
    BCK("bck", "BS", "SGP", "MGP", StatType.U32),
    CHKFAIL("chkfail", "S", "MCP", null, StatType.U64),
    CHKDOWN("chkdown", "BS", "MCP", null, StatType.U64),
    LASTCHG("lastchg", "BS", "MAP", null, StatType.U32),
    DOWNTIME("downtime", "BS", "MCP", null, StatType.U32),
    QLIMIT("qlimit", "S", "CGS", null, StatType.U32),
    PID("pid", "LFBS", "KGP", null, StatType.U32),
    IID("iid", "LFBS", "KGS", null, StatType.U32),
    SID("sid", "LFBS", "KGS", null, StatType.U32),
    THROTTLE("throttle", "S", "MaP", null, StatType.U32),
    LBTOT("lbtot", "BS", "MCP", null, StatType.U64),
    TRACKED("tracked", "S", "CNS", null, StatType.STR),
    TYPE("type", "LFBS", "CGS", null, StatType.U32),
    RATE("rate", "FBS", "MRP", "MGP", StatType.U32),
    RATE_LIM("rate_lim", "F", "CLP", null, StatType.U32),
    RATE_MAX("rate_max", "FBS", "MMP", "MGP", StatType.U32),
    CHECK_STATUS("check_status", "S", "MOP", null, StatType.STR),
    CHECK_CODE("check_code", "S", "MOP", null, StatType.U32),
    CHECK_DURATION("check_duration", "S", "MDP", null, StatType.U64),
    HRSP_1XX("hrsp_1xx", "FBS", "MCP", null, StatType.U64),
    HRSP_2XX("hrsp_2xx", "FBS", "MCP", null, StatType.U64),
    HRSP_3XX("hrsp_3xx", "FBS", "MCP", null, StatType.U64),
    HRSP_4XX("hrsp_4xx", "FBS", "MCP", null, StatType.U64),
    HRSP_5XX("hrsp_5xx", "FBS", "MCP", null, StatType.U64),
    HRSP_OTHER("hrsp_other", "FBS", "MCP", null, StatType.U64),
    HANAFAIL("hanafail", "S", "MCP", null, StatType.U64),
    REQ_RATE("req_rate", "F", "MRP", null, StatType.U32),
    REQ_RATE_MAX("req_rate_max", "F", "MMP", null, StatType.U32),
    REQ_TOT("req_tot", "FBS", "MCP", null, StatType.U64),
    CLI_ABRT("cli_abrt", "BS", "MCP", null, StatType.U64),
    SRV_ABRT("srv_abrt", "BS", "MCP", null, StatType.U64),
    COMP_IN("comp_in", "FB", "MCP", null, StatType.U64),
    COMP_OUT("comp_out", "FB", "MCP", null, StatType.U64),
    COMP_BYP("comp_byp", "FB", "MCP", null, StatType.U64),
    COMP_RSP("comp_rsp", "FB", "MCP", null, StatType.U64),
    LASTSESS("lastsess", "BS", "MAP", null, StatType.S32),
    LAST_CHK("last_chk", "S", "MOP", null, StatType.STR),
    LAST_AGT("last_agt", "S", "MOP", null, StatType.STR),
    QTIME("qtime", "BS", "MaP", null, StatType.U32),
    CTIME("ctime", "BS", "MaP", null, StatType.U32),
    RTIME("rtime", "BS", "MaP", null, StatType.U32),
    TTIME("ttime", "BS", "MaP", null, StatType.U32),
    AGENT_STATUS("agent_status", "S", "MOP", null, StatType.STR),
    AGENT_CODE("agent_code", "S", "MOP", null, StatType.U32),
    AGENT_DURATION("agent_duration", "S", "MDP", null, StatType.U64),
    CHECK_DESC("check_desc", "S", "MOP", null, StatType.STR),
    AGENT_DESC("agent_desc", "S", "MOP", null, StatType.STR),
    CHECK_RISE("check_rise", "S", "CGS", null, StatType.U32),
    CHECK_FALL("check_fall", "S", "CGS", null, StatType.U32),
    CHECK_HEALTH("check_health", "S", "CGS", null, StatType.U32),
    AGENT_RISE("agent_rise", "S", "CGS", null, StatType.U32),
    AGENT_FALL("agent_fall", "S", "CGS", null, StatType.U32),
    AGENT_HEALTH("agent_health", "S", "CGS", null, StatType.U32),
    ADDR("addr", "LS", "CGS", null, StatType.STR),
    COOKIE("cookie", "BS", "CNS", null, StatType.STR),
    MODE("mode", "LFBS", "CGS", null, StatType.STR),
    ALGO("algo", "B", "CGS", null, StatType.STR),
    CONN_RATE("conn_rate", "F", "MRP", null, StatType.U32),
    CONN_RATE_MAX("conn_rate_max", "F", "MMP", null, StatType.U32),
    CONN_TOT("conn_tot", "LF", "MCP", null, StatType.U64),
    INTERCEPTED("intercepted", "F", "MCP", null, StatType.U64),
    DCON("dcon", "LF", "MCP", null, StatType.U64),
    DSES("dses", "LF", "MCP", null, StatType.U64),
    WREW("wrew", "LFBS", "MCP", null, StatType.U64),
    CONNECT("connect", "BS", "MCP", null, StatType.U64),
    REUSE("reuse", "BS", "MCP", null, StatType.U64),
    CACHE_LOOKUPS("cache_lookups", "FB", "MCP", null, StatType.U64),
    CACHE_HITS("cache_hits", "FB", "MCP", null, StatType.U64),
    SRV_ICUR("srv_icur", "S", "MGP", null, StatType.U32),
    SRC_ILIM("src_ilim", "S", "CLP", null, StatType.U32),
    QTIME_MAX("qtime_max", "BS", "MMP", null, StatType.U32),
    CTIME_MAX("ctime_max", "BS", "MMP", null, StatType.U32),
    RTIME_MAX("rtime_max", "BS", "MMP", null, StatType.U32),
    TTIME_MAX("ttime_max", "BS", "MMP", null, StatType.U32),
    EINT("eint", "LFBS", "MCP", null, StatType.U64),
    IDLE_CONN_CUR("idle_conn_cur", "S", "MGP", null, StatType.U32),
    SAFE_CONN_CUR("safe_conn_cur", "S", "MGP", null, StatType.U32),
    USED_CONN_CUR("used_conn_cur", "S", "MGP", null, StatType.U32),
    NEED_CONN_EST("need_conn_est", "S", "MGP", null, StatType.U32),
    UWEIGHT("uweight", "BS", "MaP", null, StatType.U32),
    AGG_SERVER_STATUS("agg_server_status", "B", "MGP", null, StatType.U32),
    AGG_SERVER_CHECK_STATUS("agg_server_check_status", "B", "MGP", null, StatType.U32),
    AGG_CHECK_STATUS("agg_check_status", "B", "MGP", null, StatType.U32),
    SRID("srid", "S", "MCP", null, StatType.U32),
    SESS_OTHER("sess_other", "F", "MCP", null, StatType.U64),
    H1SESS("h1sess", "F", "MCP", null, StatType.U64),
    H2SESS("h2sess", "F", "MCP", null, StatType.U64),
    H3SESS("h3sess", "F", "MCP", null, StatType.U64),
    REQ_OTHER("req_other", "F", "MCP", null, StatType.U64),
    H1REQ("h1req", "F", "MCP", null, StatType.U64),
    H2REQ("h2req", "F", "MCP", null, StatType.U64),
    H3REQ("h3req", "F", "MCP", null, StatType.U64),
    PROTO("proto", "L", "CGS", null, StatType.STR);

    /** Every column, in position order. */
    public static final List<StatField> ALL = List.of(values());

    private final String fieldName;
    private final String objects;
    private final String tags;
    private final String backendTags;
    private final StatType type;

    StatField(String fieldName, String objects, String tags, String backendTags, StatType type) {
        this.fieldName = fieldName;
        this.objects = objects;
        this.tags = tags;
        this.backendTags = backendTags;
        this.type = type;
    }

    /** The column's name in the CSV header ({@code req_tot}). */
    public String fieldName() {
        return fieldName;
    }

    /** The column's position (0..112). */
    public int position() {
        return ordinal();
    }

    /** True when the column applies to {@code object}; others leave it empty. */
    public boolean appliesTo(StatObject object) {
        return object.in(objects);
    }

    /** The three tag letters of {@code typed} output for {@code object} (e.g. {@code MCP}). */
    public String tags(StatObject object) {
        return object == StatObject.BACKEND && backendTags != null ? backendTags : tags;
    }

    public StatType type() {
        return type;
    }
}
