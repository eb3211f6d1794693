package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TlsBindTest {
    @Test
    void terminatesTlsFromAPemWithChainAndKeyAndSeesSni() throws Exception {
        Path pem = Path.of(TlsBindTest.class.getResource("/tls/example.pem").toURI());
        try (FakeBackend web = new FakeBackend("web"); ProxyFixture proxy = new ProxyFixture()) {
            proxy.apply("""
                    defaults
                      mode http
                    frontend fe
                      bind 127.0.0.1:1 ssl crt %s
                      http-request set-header X-Forwarded-Proto https if { ssl_fc }
                      http-request set-header X-SNI %%[ssl_fc_sni]
                      default_backend be
                    backend be
                      server w1 %s
                    """.formatted(pem, web.address()));
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
            var addr = proxy.address("fe");
            try (Socket plain = new Socket(addr.getAddress(), addr.getPort());
                    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "example.test",
                            addr.getPort(), true)) {
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName("example.test")));
                s.setSSLParameters(p);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /tls HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                String resp = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(resp).startsWith("HTTP/1.1 200").endsWith("web");
                assertThat(((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName()).contains("example.test");
            }
            assertThat(web.last().header("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(web.last().header("X-SNI")).isEqualTo("example.test");
        }
    }
}
