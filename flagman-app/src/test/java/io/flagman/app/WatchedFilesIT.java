package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the configuration reads, replaced under the packaged program as an operator (or certbot) replaces them:
 * a renewed certificate is served on the next handshake without re-binding, established TLS connections keep
 * working, a broken replacement keeps the previous certificate and is reported; error files, {@code lf-file}s and
 * ACL pattern files are served live. Certificates come from the real {@code openssl req -x509}.
 */
@Timeout(120)
class WatchedFilesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aCertbotStyleSymlinkSwapIsServedOnTheNextHandshakeAndKeepAliveConnectionsKeepWorking() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Path live = Files.createDirectories(dir.resolve("live"));
        pem(archive.resolve("site1.pem"), "one");
        pem(archive.resolve("site2.pem"), "two");
        Path site = live.resolve("site.pem");
        Files.createSymbolicLink(site, Path.of("../archive/site1.pem"));
        int web = RuntimeAdminStateTest.freePort();
        Path cfg = tlsConfig(web, site);
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString())) {
            flagman.awaitListening(web, WAIT);
            assertThat(subjectOfANewHandshake(web)).isEqualTo("CN=one");
            try (SSLSocket kept = tls(web)) {
                assertThat(get(kept)).isEqualTo("ok");

                // certbot renew: a new file in archive/, then the live/ symlink replaced by a rename.
                Path next = live.resolve("site.pem.tmp");
                Files.createSymbolicLink(next, Path.of("../archive/site2.pem"));
                Files.move(next, site, StandardCopyOption.ATOMIC_MOVE);

                flagman.await(() -> "CN=two".equals(subjectOrNull(web)), WAIT, "the renewed certificate");
                assertThat(flagman.log()).contains("re-read " + site + " and applied it live");
                // The connection opened before the renewal: same socket, same session, still served.
                assertThat(get(kept)).isEqualTo("ok");
                assertThat(subject(kept)).isEqualTo("CN=one");
            }
        }
    }

    @Test
    void aBrokenReplacementKeepsThePreviousCertificateAndIsReported() throws Exception {
        Path site = dir.resolve("site.pem");
        pem(site, "one");
        int web = RuntimeAdminStateTest.freePort();
        Path cfg = tlsConfig(web, site);
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString())) {
            flagman.awaitListening(web, WAIT);
            assertThat(subjectOfANewHandshake(web)).isEqualTo("CN=one");

            replace(site, "not a certificate\n".getBytes(StandardCharsets.US_ASCII));
            flagman.awaitLog("no certificate in the file", 1, WAIT);
            assertThat(flagman.log()).contains("cannot apply the change of " + site);
            assertThat(subjectOfANewHandshake(web)).as("the previous certificate stays").isEqualTo("CN=one");

            // A renewed certificate with the old key: the pair does not match.
            Path two = dir.resolve("two");
            Files.createDirectories(two);
            openssl(two, "two");
            Path one = dir.resolve("one");
            Files.createDirectories(one);
            openssl(one, "one");
            replace(site, concat(two.resolve("cert.pem"), one.resolve("key.pem")));
            flagman.awaitLog("the private key does not match the certificate", 1, WAIT);
            assertThat(subjectOfANewHandshake(web)).isEqualTo("CN=one");

            // Fixed: the next good file is served.
            Path three = dir.resolve("three.pem");
            pem(three, "three");
            replace(site, Files.readAllBytes(three));
            flagman.await(() -> "CN=three".equals(subjectOrNull(web)), WAIT, "the fixed certificate");
            assertThat(flagman.alive()).isTrue();
        }
    }

    @Test
    void errorFilesLfFilesAndPatternFilesAreServedLiveWithTheApiWithoutANewVersion() throws Exception {
        Path errorfile = dir.resolve("503.http");
        Path page = dir.resolve("page.txt");
        Path patterns = dir.resolve("paths.lst");
        Files.writeString(errorfile, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndown v1\n");
        Files.writeString(page, "page v1\n");
        Files.writeString(patterns, "/listed\n");
        int web = RuntimeAdminStateTest.freePort();
        int apiPort = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web, """
                http-request return status 200 content-type text/plain lf-file %s if { path /page }
                http-request return status 200 content-type text/plain string listed if { path -f %s }
                default_backend empty""".formatted(page, patterns), """
                backend empty
                  errorfile 503 %s
                """.formatted(errorfile)));
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString(), "--api",
                "127.0.0.1:" + apiPort)) {
            Api api = new Api(new InetSocketAddress("127.0.0.1", apiPort), "admin", "secret");
            flagman.awaitLog("Data Plane API v3 on", 1, WAIT);
            long version = api.version();
            assertThat(fetch(web, "/page")).isEqualTo("200 page v1\n");
            assertThat(fetch(web, "/down")).isEqualTo("503 down v1\n");
            assertThat(fetch(web, "/new")).isEqualTo("503 down v1\n");

            replace(page, "page v2\n".getBytes(StandardCharsets.US_ASCII));
            Files.writeString(errorfile, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\n"
                    + "down v2\n"); // rewritten in place, not renamed
            Files.writeString(patterns, "/listed\n/new\n");

            flagman.await(() -> "200 page v2\n".equals(fetchOrNull(web, "/page")), WAIT, "the new lf-file");
            flagman.await(() -> "503 down v2\n".equals(fetchOrNull(web, "/down")), WAIT, "the new errorfile");
            flagman.await(() -> "200 listed".equals(fetchOrNull(web, "/new")), WAIT, "the new pattern file");
            assertThat(api.version()).as("a file the configuration reads is not a configuration version")
                    .isEqualTo(version);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path tlsConfig(int web, Path crt) throws IOException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 10s

                frontend web
                  bind 127.0.0.1:%d ssl crt %s
                  http-request return status 200 content-type text/plain string ok
                """.formatted(web, crt));
        return cfg;
    }

    /** A PEM file (certificate, then key) for {@code CN=<cn>}, made by openssl. */
    private void pem(Path target, String cn) throws Exception {
        Path work = Files.createTempDirectory(dir, "cert-" + cn);
        openssl(work, cn);
        Files.write(target, concat(work.resolve("cert.pem"), work.resolve("key.pem")));
    }

    private static void openssl(Path work, String cn) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", work.resolve("key.pem").toString(), "-out", work.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static byte[] concat(Path a, Path b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Files.readAllBytes(a));
        out.write(Files.readAllBytes(b));
        return out.toByteArray();
    }

    /** Write a sibling, then rename it over the file: what editors and renewal tools do. */
    private static void replace(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SSLSocket tls(int port) throws Exception {
        // A fresh client context every time: no session to resume, a full handshake.
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static String subjectOfANewHandshake(int port) throws Exception {
        try (SSLSocket s = tls(port)) {
            return subject(s);
        }
    }

    private static String subjectOrNull(int port) {
        try {
            return subjectOfANewHandshake(port);
        } catch (Exception e) {
            return null;
        }
    }

    private static String subject(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    /** One keep-alive request on {@code s}; returns the body. */
    private static String get(SSLSocket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private String fetch(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private String fetchOrNull(int port, String path) {
        try {
            return fetch(port, path);
        } catch (Exception e) {
            return null;
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
