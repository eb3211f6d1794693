package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Frontend;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.WhatIf;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What-if routing against the real data plane: the same configuration (the seed's worker and front load balancer
 * rules: Host routing, path_beg, an intranet-only src ACL, an HTTP→HTTPS redirect, a 404 fallback) is evaluated by
 * {@code flagman test} and served by a {@link DataPlane} with real upstreams; each sample request is then sent over
 * a socket (with the PROXY header carrying its source address, as the seed's front load balancer sends it) and
 * must reach the backend, or get the answer, that what-if predicted.
 */
@Timeout(60)
class WhatIfScenarioTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    /** An upstream answering 200 with {@code backend=NAME proto=X-Forwarded-Proto}. */
    private int upstream(String backend) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/", e -> {
            byte[] body = ("backend=" + backend + " proto=" + e.getRequestHeaders().getFirst("X-Forwarded-Proto"))
                    .getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        s.start();
        resources.add(() -> s.stop(0));
        return s.getAddress().getPort();
    }

    private String config(int worker, int redirect) throws Exception {
        Path page = dir.resolve("custom_404.html");
        Files.writeString(page, "<h1>not here: %[path]</h1>\n");
        return """
                global
                  maxconn 256
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s

                frontend http-in
                  bind 127.0.0.1:%d accept-proxy
                  acl internal src 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12
                  acl admin_path path_beg /admin
                  acl api_host hdr(host) -i api.example.com
                  acl example_subdomain hdr_reg(host) -i ^([a-z0-9-]+)\\.example\\.com$
                  http-request deny if admin_path !internal
                  http-request set-header X-Forwarded-Proto https
                  use_backend admin-backend if admin_path internal
                  use_backend api-backend if api_host { path_beg /v1/ }
                  use_backend web-backend if example_subdomain
                  default_backend fallback-backend

                frontend http-redirect
                  bind 127.0.0.1:%d
                  http-request redirect scheme https code 301

                backend api-backend
                  server api1 127.0.0.1:%d

                backend web-backend
                  server web1 127.0.0.1:%d

                backend admin-backend
                  server admin1 127.0.0.1:%d

                backend fallback-backend
                  http-request return status 404 content-type "text/html" lf-file %s
                """.formatted(worker, redirect, upstream("api-backend"), upstream("web-backend"),
                upstream("admin-backend"), page);
    }

    private static String requests(int redirect) {
        return """
                # Host routing and path_beg
                GET http://api.example.com/v1/users from 10.0.0.5:40001 frontend http-in expect api-backend
                GET http://api.example.com/v2/users from 10.0.0.5:40002 frontend http-in expect web-backend
                POST http://www.example.com/cart from 203.0.113.9:40003 frontend http-in expect web-backend
                GET http://WWW.EXAMPLE.COM/ from 203.0.113.9:40004 frontend http-in expect web-backend
                # intranet only (src ACL)
                GET http://www.example.com/admin/panel from 10.1.2.3:40005 frontend http-in expect admin-backend
                GET http://www.example.com/admin/panel from 172.16.9.9:40006 frontend http-in expect admin-backend
                GET http://www.example.com/admin/panel from 203.0.113.9:40007 frontend http-in expect status 403
                # the 404 fallback
                GET http://other.org/anything from 192.168.1.1:40008 frontend http-in expect fallback-backend expect status 404
                GET /no-host-at-all from 10.0.0.1:40009 frontend http-in Host: "sub.example.org" expect status 404
                # the frontend found by the URL's port: the HTTP->HTTPS redirect
                GET http://shop.example.com:%d/cart?id=7 expect status 301
                """.formatted(redirect);
    }

    @Test
    void everyRequestReachesTheBackendWhatIfPredicted() throws Exception {
        int worker = RuntimeAdminStateTest.freePort();
        int redirect = RuntimeAdminStateTest.freePort();
        String text = config(worker, redirect);
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, text);
        Path reqs = dir.resolve("requests.txt");
        Files.writeString(reqs, requests(redirect));

        // flagman test: every expectation holds, exit 0
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("test", "--config", cfg.toString(), reqs.toString());
        assertThat(code).as(out.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("10 requests, 0 failed")
                .contains("backend api-backend (use_backend at " + cfg + ":18)")
                .contains("backend fallback-backend (default_backend at " + cfg + ":20), answered 404 by"
                        + " http-request return at " + cfg + ":36 in 'fallback-backend'")
                .contains("answered 403 by http-request deny at " + cfg + ":15 in 'http-in'")
                .contains("answered 301 by http-request redirect at " + cfg + ":24 in 'http-redirect' (location"
                        + " https://shop.example.com:" + redirect + "/cart?id=7)");

        // the same configuration served for real, the same requests sent
        LoadResult loaded = ConfigLoader.load(cfg);
        assertThat(loaded.ok()).as(loaded.diagnostics().toString()).isTrue();
        DataPlane dp = new DataPlane(1);
        resources.add(dp);
        dp.apply(loaded.config());
        WhatIf whatIf = WhatIf.compile(loaded.config());
        RequestsFile.Parsed parsed = RequestsFile.parse(requests(redirect));
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.samples()).hasSize(10);
        int forwarded = 0;
        for (RequestsFile.Sample s : parsed.samples()) {
            WhatIf.Verdict v = (WhatIf.Verdict) whatIf.evaluate(s.request());
            Frontend f = loaded.config().frontends().stream().filter(x -> x.name().equals(v.frontend()))
                    .findFirst().orElseThrow();
            int port = dp.boundAddresses(f.name()).getFirst().getPort();
            Response r = send(port, f.binds().getFirst().acceptProxy(), s.request());
            String what = "line " + s.line() + ": " + s.text() + " -> " + r;
            if (v.answeredBy() == null) {
                forwarded++;
                assertThat(r.status).as(what).isEqualTo(200);
                assertThat(r.body).as(what).isEqualTo("backend=" + v.backend() + " proto=https");
            } else {
                assertThat(r.status).as(what).isEqualTo(v.answeredBy().status());
                assertThat(r.body).as(what).doesNotStartWith("backend=");
                if (v.answeredBy().detail() != null) {
                    assertThat(r.headers.get("location")).as(what).isEqualTo(v.answeredBy().detail());
                }
                if (v.answeredBy().status() == 404) {
                    assertThat(r.body).as(what).startsWith("<h1>not here: /");
                }
            }
        }
        assertThat(forwarded).isEqualTo(6);
    }

    @Test
    void anExpectationThatDoesNotHoldExitsOne() throws Exception {
        int worker = RuntimeAdminStateTest.freePort();
        int redirect = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(worker, redirect));
        Path reqs = dir.resolve("requests.txt");
        Files.writeString(reqs, """
                GET http://api.example.com/v1/users from 203.0.113.1 frontend http-in expect web-backend
                GET http://api.example.com/v1/users frontend nope
                GET http://api.example.com:1/ expect api-backend
                GET api.example.com/v1
                """);
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("test", "--config", cfg.toString(), reqs.toString());
        assertThat(code).isEqualTo(1);
        assertThat(out.toString())
                .contains("FAIL: expected backend web-backend, got api-backend")
                .contains("not evaluated: no enabled frontend or listen section named 'nope'")
                .contains("not evaluated: no frontend binds port 1; name one with 'frontend NAME'")
                .contains(reqs + ":4: error: 'api.example.com/v1' is not an http:// or https:// URL")
                .contains("4 requests, 4 failed");
    }

    record Response(int status, Map<String, String> headers, String body) {}

    /** One request over a fresh connection (PROXY v1 header first when the bind accepts it), read to the close. */
    private static Response send(int port, boolean proxy, WhatIf.Request q) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            StringBuilder head = new StringBuilder();
            if (proxy) {
                head.append("PROXY TCP4 ").append(q.source().getAddress().getHostAddress()).append(" 127.0.0.1 ")
                        .append(q.source().getPort()).append(' ').append(port).append("\r\n");
            }
            boolean body = q.method().equals("POST");
            head.append(q.method()).append(' ').append(q.target()).append(" HTTP/1.1\r\n");
            for (WhatIf.Header h : q.headers()) {
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            head.append(body ? "Content-Length: 2\r\n" : "").append("Connection: close\r\n\r\n")
                    .append(body ? "{}" : "");
            OutputStream o = s.getOutputStream();
            o.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }
}
