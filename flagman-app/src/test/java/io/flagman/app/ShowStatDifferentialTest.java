package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.proxy.DataPlane;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show stat} of the same configuration in Debian's HAProxy (2.6, {@code haproxy -db} with a stats socket)
 * and in Flagman after the same real traffic (10 keep-alive requests to a frontend whose backend has one server
 * up, one down by its checks and one in maintenance; one connection through a TCP proxy), column by column by
 * name: the header, the rows, and every cell. The differences that are intended are the named lists below, each
 * with its reason (docs/runtime.md, "Differences from HAProxy", says the same); every other cell must be equal.
 * Fails, never skips, without haproxy.
 */
@Timeout(120)
class ShowStatDifferentialTest {
    private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: test\r\n\r\n";

    /** Columns of HAProxy 3.2, which Flagman prints, that 2.6 does not have. */
    static final Map<String, String> ONLY_IN_32 = Map.ofEntries(
            Map.entry("srid", "3.2: the server id revision (column 103)"),
            Map.entry("sess_other", "3.2: sessions per protocol (104-107)"),
            Map.entry("h1sess", "3.2: sessions per protocol (104-107)"),
            Map.entry("h2sess", "3.2: sessions per protocol (104-107)"),
            Map.entry("h3sess", "3.2: sessions per protocol (104-107)"),
            Map.entry("req_other", "3.2: requests per protocol (108-111)"),
            Map.entry("h1req", "3.2: requests per protocol (108-111)"),
            Map.entry("h2req", "3.2: requests per protocol (108-111)"),
            Map.entry("h3req", "3.2: requests per protocol (108-111)"),
            Map.entry("proto", "3.2: a listener's protocol (112)"),
            Map.entry("ssl_ocsp_staple", "3.2's SSL module adds the OCSP stapling counters"),
            Map.entry("ssl_failed_ocsp_staple", "3.2's SSL module adds the OCSP stapling counters"));

    /** Values that depend on when things happened (the two processes started apart): numbers in both, or empty. */
    static final Map<String, String> TIMING = Map.ofEntries(
            Map.entry("lastchg", "seconds since the last state change: since each process started"),
            Map.entry("downtime", "seconds down: since each process started"),
            Map.entry("lastsess", "seconds since the last session"),
            Map.entry("check_duration", "ms the last check took"),
            Map.entry("rate", "per second over the last second"),
            Map.entry("rate_max", "the most in one second: how the requests fell into seconds"),
            Map.entry("req_rate", "per second over the last second"),
            Map.entry("req_rate_max", "the most in one second"),
            Map.entry("conn_rate", "per second over the last second"),
            Map.entry("conn_rate_max", "the most in one second"),
            Map.entry("qtime", "measured ms"), Map.entry("ctime", "measured ms"), Map.entry("rtime", "measured ms"),
            Map.entry("ttime", "measured ms"), Map.entry("qtime_max", "measured ms"),
            Map.entry("ctime_max", "measured ms"), Map.entry("rtime_max", "measured ms"),
            Map.entry("ttime_max", "measured ms"));

    /**
     * HTTP byte counts: HAProxy counts its internal HTX form of the messages (start line and headers as blocks), so
     * its bin and bout are not the wire's; Flagman has no HTX and counts the bytes on the wire (checked below).
     * Both count, or both are 0.
     */
    static final Map<String, String> HTX_BYTES = Map.of("bin", "HTX vs wire bytes", "bout", "HTX vs wire bytes");

    /** In TCP mode 2.6 prints 0 where 3.2, and Flagman, leave the cell empty (the column is HTTP's). */
    static final Map<String, String> TCP_ZEROS_26 = Map.of("req_rate", "HTTP only in 3.2",
            "req_rate_max", "HTTP only in 3.2", "req_tot", "HTTP only in 3.2", "comp_in", "HTTP only in 3.2",
            "comp_out", "HTTP only in 3.2", "comp_byp", "HTTP only in 3.2", "comp_rsp", "HTTP only in 3.2");

    /** HAProxy's estimate of the connections a server needs (its idle-connection task); Flagman has none: 0. */
    static final Map<String, String> NO_ESTIMATE = Map.of("need_conn_est", "no estimate in Flagman");

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    private static String config(Path socket, int web, int tcp, int up, int refused) {
        return """
                global
                  maxconn 500
                  stats socket %s mode 600 level admin
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                  timeout check 1s
                frontend www
                  bind 127.0.0.1:%d
                  default_backend app
                backend app
                  balance roundrobin
                  server web1 127.0.0.1:%d check inter 100ms maxconn 20
                  server web2 127.0.0.1:%d check inter 100ms weight 50
                  server web3 127.0.0.1:%d disabled
                listen tcpx
                  mode tcp
                  bind 127.0.0.1:%d
                  server t1 127.0.0.1:%d
                """.formatted(socket, web, up, refused, up, tcp, up);
    }

    @Test
    void showStatMatchesHaproxyColumnByColumn() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.createContext("/", e -> {
            byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        upstream.start();
        resources.add(() -> upstream.stop(0));
        int up = upstream.getAddress().getPort();
        int refused = RuntimeAdminStateTest.freePort();

        int hWeb = RuntimeAdminStateTest.freePort();
        int hTcp = RuntimeAdminStateTest.freePort();
        Path hSocket = dir.resolve("haproxy.sock");
        Path hCfg = dir.resolve("haproxy.cfg");
        Files.writeString(hCfg, config(hSocket, hWeb, hTcp, up, refused));
        Process haproxy = new ProcessBuilder(DifferentialCheckTest.haproxyBinary(), "-db", "-f", hCfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        resources.add(() -> {
            haproxy.destroyForcibly();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        });

        int fWeb = RuntimeAdminStateTest.freePort();
        int fTcp = RuntimeAdminStateTest.freePort();
        Path fSocket = dir.resolve("flagman.sock");
        LoadResult loaded = ConfigLoader.fromText("flagman.cfg", config(fSocket, fWeb, fTcp, up, refused), dir);
        assertThat(loaded.errors()).isEmpty();
        DataPlane flagman = new DataPlane(2);
        resources.add(flagman);
        flagman.apply(loaded.config());

        await(() -> Files.exists(hSocket), "haproxy's socket");
        BooleanSupplier settled = () -> List.of(hSocket, fSocket).stream().allMatch(s -> {
            Map<String, Map<String, String>> t = table(cli(s, "show stat\n"));
            return t.get("app/web1").get("check_status").equals("L4OK")
                    && t.get("app/web2").get("status").equals("DOWN");
        });
        await(settled, "web1 up and web2 down in both");
        for (int port : List.of(hWeb, fWeb)) {
            keepAlive(port, 10);
            assertThat(tcp(port == hWeb ? hTcp : fTcp)).startsWith("HTTP/1.1 200");
        }
        await(() -> List.of(hSocket, fSocket).stream().allMatch(s -> {
            Map<String, Map<String, String>> t = table(cli(s, "show stat\n"));
            return t.get("www/FRONTEND").get("scur").equals("0") && t.get("tcpx/FRONTEND").get("scur").equals("0")
                    && t.get("app/BACKEND").get("scur").equals("0");
        }), "the client connections to be closed in both");
        String h = cli(hSocket, "show stat\n");
        String f = cli(fSocket, "show stat\n");
        assertThat(h).endsWith(",\n\n");
        assertThat(f).endsWith(",\n\n");

        List<String> hNames = header(h);
        List<String> fNames = header(f);
        assertThat(fNames).as("every 3.2-only column is in Flagman's header").containsAll(ONLY_IN_32.keySet());
        assertThat(hNames).as("no 3.2-only column is in 2.6's header").doesNotContainAnyElementsOf(ONLY_IN_32.keySet());
        assertThat(fNames.stream().filter(n -> !ONLY_IN_32.containsKey(n)).toList())
                .as("Flagman's header without the 3.2-only columns is 2.6's, in the same order").isEqualTo(hNames);

        Map<String, Map<String, String>> ht = table(h);
        Map<String, Map<String, String>> ft = table(f);
        assertThat(List.copyOf(ft.keySet())).as("rows, in order").isEqualTo(List.copyOf(ht.keySet()));
        List<String> differences = new ArrayList<>();
        for (String row : ht.keySet()) {
            Map<String, String> hv = ht.get(row);
            Map<String, String> fv = ft.get(row);
            boolean tcp = hv.get("mode").equals("tcp");
            for (String col : hNames) {
                String a = hv.get(col);
                String b = fv.get(col);
                boolean same;
                if (TCP_ZEROS_26.containsKey(col) && tcp) {
                    same = a.equals(b) || a.equals("0") && b.isEmpty();
                } else if (TIMING.containsKey(col)) {
                    same = a.isEmpty() ? b.isEmpty() : number(a) && number(b);
                } else if (HTX_BYTES.containsKey(col) && !tcp) {
                    same = a.isEmpty() ? b.isEmpty() : Long.parseLong(a) > 0 == Long.parseLong(b) > 0;
                } else if (NO_ESTIMATE.containsKey(col)) {
                    same = a.isEmpty() ? b.isEmpty() : b.equals("0");
                } else {
                    same = a.equals(b);
                }
                if (!same) {
                    differences.add(row + " " + col + ": haproxy [" + a + "], flagman [" + b + "]");
                }
            }
        }
        assertThat(differences).as("cells that differ (haproxy:%n%s%nflagman:%n%s)", h, f).isEmpty();

        // the values themselves, after the traffic: 10 requests through web1 (web2 down, web3 in maintenance)
        for (Map<String, Map<String, String>> t : List.of(ht, ft)) {
            assertThat(t.get("www/FRONTEND").get("req_tot")).isEqualTo("10");
            assertThat(t.get("www/FRONTEND").get("hrsp_2xx")).isEqualTo("10");
            assertThat(t.get("app/web1").get("stot")).isEqualTo("10");
            assertThat(t.get("app/web2").get("stot")).isEqualTo("0");
            assertThat(t.get("app/web2").get("check_status")).isEqualTo("L4CON");
            assertThat(t.get("app/web3").get("status")).isEqualTo("MAINT");
            assertThat(t.get("app/BACKEND").get("act")).isEqualTo("1");
            assertThat(t.get("tcpx/FRONTEND").get("stot")).isEqualTo("1");
        }
        // Flagman's byte counts are the wire's: what the client sent and received
        assertThat(ft.get("www/FRONTEND").get("bin")).isEqualTo(String.valueOf(10 * REQUEST.length()));
        assertThat(ft.get("app/web1").get("bout")).isEqualTo(ft.get("www/FRONTEND").get("bout"));
    }

    private static boolean number(String cell) {
        return cell.matches("-?[0-9]+");
    }

    /** {@code n} requests on one keep-alive connection, each response read to its end. */
    private static void keepAlive(int port, int n) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < n; i++) {
                out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = head(in);
                assertThat(head).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .findFirst().orElseThrow().substring(15).trim());
                assertThat(new String(in.readNBytes(length), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("response head").isNotNegative();
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One request with {@code Connection: close}, through a TCP proxy: the bytes are the same on the wire. */
    private static String tcp(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /x HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static List<String> header(String out) {
        String first = out.lines().findFirst().orElseThrow();
        assertThat(first).startsWith("# ").endsWith(",");
        String[] names = first.substring(2).split(",", -1); // the trailing comma leaves an empty last name
        return Arrays.asList(names).subList(0, names.length - 1);
    }

    /** Rows by {@code pxname/svname}, each a map of column name → cell. */
    private static Map<String, Map<String, String>> table(String out) {
        List<String> names = header(out);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        out.lines().skip(1).filter(l -> !l.isEmpty()).forEach(l -> {
            String[] cells = l.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                row.put(names.get(i), cells[i]);
            }
            rows.put(cells[0] + "/" + cells[1], row);
        });
        return rows;
    }

    private static String cli(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf.clear()) > 0) {
                out.write(buf.array(), 0, buf.position());
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(socket + ": " + e, e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50); // polling interval of a bounded wait, not a synchronisation
        }
    }
}
