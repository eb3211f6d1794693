package io.flagman.config.model;

/**
 * One {@code stats socket} line of the {@code global} section: where the runtime socket listens and what it
 * allows.
 *
 * @param address a unix socket path ({@code /run/flagman.sock}, {@code unix@…}) or {@code ipv4@host:port} /
 *     {@code ipv6@host:port}
 * @param mode the file mode of a unix socket ({@code mode 600}), or -1 when not said (the umask applies)
 * @param level the highest level a connection on it gets (HAProxy's default: operator)
 * @param line the line in the source file
 */
public record StatsSocket(BindAddress address, int mode, Level level, int line) {

    /** HAProxy's CLI levels, lowest first. */
    public enum Level {
        USER,
        OPERATOR,
        ADMIN;

        /** The spelling of the configuration and of {@code show cli level}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Equal sockets bind the same way: the line number does not matter (an unchanged socket is kept). */
    public boolean sameBinding(StatsSocket other) {
        return address.text().equals(other.address.text()) && mode == other.mode && level == other.level;
    }
}
