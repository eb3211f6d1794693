package io.flagman.proxy.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 literal, parsed without any name lookup. */
final class IpLiteral {
    private IpLiteral() {}

    static InetAddress parse(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        } else if (!text.matches("[0-9A-Fa-f:.]+") || text.indexOf(':') < 0) {
            return null;
        }
        try {
            // A literal: InetAddress does not look up names given in these forms.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
