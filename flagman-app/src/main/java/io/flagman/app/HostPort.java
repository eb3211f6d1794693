package io.flagman.app;

import picocli.CommandLine;

/** {@code HOST:PORT} or {@code [IPv6]:PORT} from the command line. */
record HostPort(String host, int port) {

    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:5555)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "': port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("'" + text + "': port out of range (expected 0..65535)");
        }
        return new HostPort(host, port);
    }
}
