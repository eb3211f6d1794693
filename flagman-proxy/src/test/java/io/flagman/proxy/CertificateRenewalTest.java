package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.model.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept {@code ssl} bind reads its {@code crt} again on every apply: a renewed file is served on the next
 * handshake from the same socket, a connection established before keeps its session, and a broken file (not PEM,
 * no key, a key of another certificate) rejects the apply with the file and the reason, the previous certificate
 * serving on. Certificates from the real {@code openssl}.
 */
class CertificateRenewalTest {

    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateIsServedFromTheSameSocketAndABrokenOneKeepsThePrevious() throws Exception {
        Path site = dir.resolve("site.pem");
        Files.write(site, pem("one"));
        try (ProxyFixture proxy = new ProxyFixture()) {
            proxy.dataPlane.apply(config(site));
            InetSocketAddress before = proxy.dataPlane.boundAddresses("fe").getFirst();
            assertThat(subject(proxy)).isEqualTo("CN=one");
            try (SSLSocket kept = handshake(proxy)) {
                assertThat(get(kept)).isEqualTo("ok");

                replace(site, pem("two"));
                proxy.dataPlane.reapply();
                assertThat(proxy.dataPlane.boundAddresses("fe")).as("the socket is kept").containsExactly(before);
                assertThat(subject(proxy)).isEqualTo("CN=two");
                assertThat(get(kept)).isEqualTo("ok");
                assertThat(((X509Certificate) kept.getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName()).isEqualTo("CN=one");
            }
            assertThat(proxy.dataPlane.files()).containsKey(site.toString());

            replace(site, "garbage\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(proxy.dataPlane::reapply).isInstanceOf(ApplyException.class)
                    .hasMessageContaining(site.toString()).hasMessageContaining("no certificate in the file");
            assertThat(subject(proxy)).isEqualTo("CN=two");

            byte[] three = pem("three");
            byte[] four = pem("four");
            replace(site, concat(certificateOf(three), keyOf(four)));
            assertThatThrownBy(proxy.dataPlane::reapply).isInstanceOf(ApplyException.class)
                    .hasMessageContaining("the private key does not match the certificate (CN=three)");
            replace(site, certificateOf(three));
            assertThatThrownBy(proxy.dataPlane::reapply).hasMessageContaining("no private key in the file");
            assertThat(subject(proxy)).isEqualTo("CN=two");

            replace(site, three);
            proxy.dataPlane.reapply();
            assertThat(subject(proxy)).isEqualTo("CN=three");
        }
    }

    /** One ssl bind answering {@code ok}. */
    private static Config config(Path crt) {
        return ProxyFixture.parse("""
                defaults
                  mode http
                  timeout client 10s
                frontend fe
                  bind 127.0.0.1:1 ssl crt %s
                  http-request return status 200 content-type text/plain string ok
                """.formatted(crt));
    }

    private byte[] pem(String cn) throws Exception {
        Path work = Files.createTempDirectory(dir, cn);
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", work.resolve("key.pem").toString(), "-out", work.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return concat(Files.readAllBytes(work.resolve("cert.pem")), Files.readAllBytes(work.resolve("key.pem")));
    }

    private static byte[] certificateOf(byte[] pem) {
        String s = new String(pem, StandardCharsets.US_ASCII);
        return s.substring(0, s.indexOf("-----END CERTIFICATE-----") + 26).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] keyOf(byte[] pem) {
        String s = new String(pem, StandardCharsets.US_ASCII);
        return s.substring(s.indexOf("-----BEGIN PRIVATE KEY-----")).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(a);
        out.write(b);
        return out.toByteArray();
    }

    private static void replace(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SSLSocket handshake(ProxyFixture proxy) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        InetSocketAddress a = proxy.address("fe");
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort());
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static String subject(ProxyFixture proxy) throws Exception {
        try (SSLSocket s = handshake(proxy)) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String get(SSLSocket s) throws IOException {
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
