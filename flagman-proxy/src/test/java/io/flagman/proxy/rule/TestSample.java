package io.flagman.proxy.rule;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A hand-built request for rule, log-format and balancer tests. Header names are matched case-insensitively. */
public record TestSample(
        InetSocketAddress source,
        InetSocketAddress destination,
        boolean isSsl,
        String sni,
        String method,
        String uri,
        String httpVersion,
        List<Map.Entry<String, String>> headers,
        Map<String, Integer> servers)
        implements SampleSource {

    public static TestSample get(String uri) {
        return new TestSample(address("192.0.2.10", 40000), address("127.0.0.1", 8080), false, null, "GET", uri,
                "HTTP/1.1", List.of(), Map.of());
    }

    public static TestSample tcp(String sourceIp) {
        return new TestSample(address(sourceIp, 40000), address("127.0.0.1", 5353), false, null, null, null, null,
                List.of(), Map.of());
    }

    public static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    public TestSample header(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new TestSample(source, destination, isSsl, sni, method, uri, httpVersion, h, servers);
    }

    public TestSample from(String ip) {
        return new TestSample(address(ip, source.getPort()), destination, isSsl, sni, method, uri, httpVersion,
                headers, servers);
    }

    public TestSample method(String m) {
        return new TestSample(source, destination, isSsl, sni, m, uri, httpVersion, headers, servers);
    }

    public TestSample ssl(String serverName) {
        return new TestSample(source, destination, true, serverName, method, uri, httpVersion, headers, servers);
    }

    public TestSample version(String v) {
        return new TestSample(source, destination, isSsl, sni, method, uri, v, headers, servers);
    }

    public TestSample servers(Map<String, Integer> usable) {
        return new TestSample(source, destination, isSsl, sni, method, uri, httpVersion, headers, usable);
    }

    @Override
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    @Override
    public int usableServers(String backend) {
        return servers.getOrDefault(backend, 0);
    }
}
