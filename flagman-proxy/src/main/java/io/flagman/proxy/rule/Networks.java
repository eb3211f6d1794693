package io.flagman.proxy.rule;

import io.flagman.config.model.Cidr;
import java.net.InetAddress;

/** Parses IP patterns ({@code 10.0.0.0/8}, {@code 10.0.0.0/255.0.0.0}, {@code ::1}, {@code 2001:db8::/32}). */
final class Networks {

    private Networks() {}

    static Cidr parse(String pattern) {
        String p = pattern.strip();
        int slash = p.indexOf('/');
        String host = slash < 0 ? p : p.substring(0, slash);
        InetAddress address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException("invalid IP address or network '" + pattern + "'");
        }
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String mask = p.substring(slash + 1);
            prefix = mask.indexOf('.') >= 0 ? netmaskPrefix(mask, pattern) : prefixLength(mask, bytes.length * 8, pattern);
        }
        return new Cidr(bytes, prefix);
    }

    private static int prefixLength(String mask, int max, String pattern) {
        try {
            int n = Integer.parseInt(mask);
            if (n < 0 || n > max) {
                throw new IllegalArgumentException("invalid prefix length in '" + pattern + "'");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid prefix length in '" + pattern + "'", e);
        }
    }

    private static int netmaskPrefix(String mask, String pattern) {
        InetAddress m = literal(mask);
        if (m == null || m.getAddress().length != 4) {
            throw new IllegalArgumentException("invalid netmask in '" + pattern + "'");
        }
        int bits = 0;
        for (byte b : m.getAddress()) {
            bits = (bits << 8) | (b & 0xff);
        }
        int prefix = Integer.bitCount(bits);
        if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
            throw new IllegalArgumentException("non-contiguous netmask in '" + pattern + "'");
        }
        return prefix;
    }

    /** An IP literal, never a DNS lookup; null when {@code text} is not one. */
    static InetAddress literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                return null;
            }
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
