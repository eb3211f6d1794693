package io.flagman.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The renderers against HAProxy 3.2's observed bytes (reference §3.1, §3.4, §3.5, §4). */
class StatRenderTest {

    static String observed() throws IOException {
        try (InputStream in = StatRenderTest.class.getResourceAsStream("observed-3.2.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Reads a CSV line of the observed layout back into a row: a test's way to build HAProxy's rows. */
    static StatRow parse(String line) {
        String[] cells = line.split(",", -1);
        StatObject object = StatObject.values()[Integer.parseInt(cells[StatField.TYPE.position()])];
        StatRow.Builder b = StatRow.builder(object, cells[0], cells[1],
                Integer.parseInt(cells[StatField.IID.position()]), Integer.parseInt(cells[StatField.SID.position()]));
        for (StatField f : StatField.ALL) {
            String c = cells[f.position()];
            if (!c.isEmpty()) {
                if (f.type() == StatType.STR) {
                    b.set(f, c);
                } else {
                    b.set(f, Long.parseLong(c));
                }
            }
        }
        assertThat(cells[StatField.ALL.size()]).isEqualTo("-");
        for (ModuleField m : ModuleField.ALL) {
            String c = cells[StatField.ALL.size() + 1 + m.ordinal()];
            if (!c.isEmpty()) {
                b.set(m, Long.parseLong(c));
            }
        }
        return b.build();
    }

    @Test
    void theHeaderIsHaproxy32sByteForByte() throws IOException {
        String header = observed().lines().findFirst().orElseThrow() + "\n";
        assertThat(StatCsv.header()).isEqualTo(header);
        assertThat(StatField.ALL).hasSize(113);
        assertThat(StatField.PROTO.position()).isEqualTo(112);
        assertThat(StatField.SRC_ILIM.fieldName()).isEqualTo("src_ilim");
        assertThat(ModuleField.SSL_SESS.position()).isEqualTo(113);
    }

    @Test
    void observedRowsRenderToTheSameBytes() throws IOException {
        String text = observed();
        List<String> lines = text.lines().toList();
        List<StatRow> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            rows.add(parse(l));
        }
        assertThat(StatCsv.render(rows)).isEqualTo(text);
    }

    @Test
    void everyObservedCellBelongsToAColumnOfItsObjectKind() throws IOException {
        // parse() goes through the builder, which refuses a column that does not apply: HAProxy's rows agree.
        List<String> lines = observed().lines().toList();
        for (String l : lines.subList(1, lines.size())) {
            StatRow r = parse(l);
            for (StatField f : StatField.ALL) {
                if (!f.appliesTo(r.object())) {
                    assertThat(r.isEmpty(f)).as(f.fieldName()).isTrue();
                }
            }
        }
    }

    @Test
    void emptyCellsDifferFromZero() {
        StatRow r = StatRow.builder(StatObject.SERVER, "app", "web1", 3, 1).set(StatField.CHKFAIL, 0).build();
        assertThat(r.isEmpty(StatField.CHKFAIL)).isFalse();
        assertThat(r.isEmpty(StatField.CHKDOWN)).isTrue();
        assertThat(r.text(StatField.CHKDOWN)).isEmpty();
        assertThat(r.text(StatField.CHKFAIL)).isEqualTo("0");
        assertThatThrownBy(() -> StatRow.builder(StatObject.FRONTEND, "www", "FRONTEND", 2, 0)
                .set(StatField.ECON, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textCellsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(csv("Layer4 check passed")).isEqualTo("Layer4 check passed");
        assertThat(csv("a,b")).isEqualTo("\"a,b\"");
        assertThat(csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(csv("two\r\nlines  \n")).isEqualTo("\"two lines\"");
    }

    private static String csv(String s) {
        StringBuilder out = new StringBuilder();
        StatCsv.text(out, s);
        return out.toString();
    }

    private static StatRow web1() {
        return StatRow.builder(StatObject.SERVER, "app", "web1", 3, 1).set(StatField.STATUS, "UP")
                .set(StatField.SCUR, 0).set(StatField.STOT, 21).build();
    }

    @Test
    void typedLinesAreHaproxys() {
        List<String> lines = Arrays.asList(StatTyped.typed(List.of(web1())).split("\n"));
        assertThat(lines).contains("S.3.1.17.status.1:SGP:str:UP", "S.3.1.0.pxname.1:KNS:str:app",
                "S.3.1.4.scur.1:MGP:u32:0", "S.3.1.7.stot.1:MCP:u64:21", "S.3.1.26.pid.1:KGP:u32:1",
                "S.3.1.32.type.1:CGS:u32:2");
        assertThat(lines).noneMatch(l -> l.contains(".chkfail."));
        StatRow backend = StatRow.builder(StatObject.BACKEND, "app", "BACKEND", 3, 0).set(StatField.ACT, 1)
                .set(StatField.RATE_MAX, 4).set(ModuleField.H1_BYTES_IN, 7).build();
        assertThat(StatTyped.typed(List.of(backend)).split("\n")).contains("B.3.0.19.act.1:MGP:u32:1",
                "B.3.0.35.rate_max.1:MGP:u32:4", "B.3.0.135.h1_bytes_in.1:MCP:u64:7");
    }

    @Test
    void jsonIsHaproxys() {
        String json = StatTyped.json(List.of(web1(), web1()));
        assertThat(json).startsWith("[[{\"objType\":\"Server\",\"proxyId\":3,\"id\":1,\"field\":{\"pos\":0,"
                + "\"name\":\"pxname\"},\"processNum\":1,\"tags\":{\"origin\":\"Key\",\"nature\":\"Name\","
                + "\"scope\":\"Service\"},\"value\":{\"type\":\"str\",\"value\":\"app\"}},")
                .contains("{\"objType\":\"Server\",\"proxyId\":3,\"id\":1,\"field\":{\"pos\":17,\"name\":\"status\"},"
                        + "\"processNum\":1,\"tags\":{\"origin\":\"Status\",\"nature\":\"Gauge\",\"scope\":\"Process\"},"
                        + "\"value\":{\"type\":\"str\",\"value\":\"UP\"}}")
                .contains("}],[{").endsWith("}]]\n").doesNotContain(" \"").doesNotContain("\": ");
    }

    @Test
    void showInfoForms() {
        ProcessInfo info = ProcessInfo.builder().set(InfoField.NAME, "HAProxy").set(InfoField.VERSION, "3.2.0")
                .set(InfoField.RELEASE_DATE, "2025/05/28").set(InfoField.NBTHREAD, 2)
                .set(InfoField.UPTIME, "0d 0h00m27s").set(InfoField.TOTALBYTESOUT, 9).build();
        assertThat(InfoFormat.text(info)).isEqualTo("Name: HAProxy\nVersion: 3.2.0\nRelease_date: 2025/05/28\n"
                + "Nbthread: 2\nUptime: 0d 0h00m27s\nTotalBytesOut: 9\n");
        assertThat(InfoFormat.typed(info)).isEqualTo("0.Name.1:POS:str:HAProxy\n1.Version.1:POS:str:3.2.0\n"
                + "2.Release_date.1:POS:str:2025/05/28\n3.Nbthread.1:CGS:u32:2\n7.Uptime.1:MDP:str:0d 0h00m27s\n"
                + "61.TotalBytesOut.1:MGP:u64:9\n");
        assertThat(InfoFormat.json(info)).startsWith("[{\"field\":{\"pos\":0,\"name\":\"Name\"},\"processNum\":1,"
                + "\"tags\":{\"origin\":\"Product\",\"nature\":\"Output\",\"scope\":\"Service\"},"
                + "\"value\":{\"type\":\"str\",\"value\":\"HAProxy\"}},").endsWith("}]\n");
        assertThat(InfoField.ALL).hasSize(79);
        assertThat(InfoField.BLOCKEDTRAFFICWARNINGS.position()).isEqualTo(78);
    }
}
