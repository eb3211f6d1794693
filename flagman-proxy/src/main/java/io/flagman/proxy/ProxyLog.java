package io.flagman.proxy;

import io.flagman.config.model.LogTarget;
import java.util.List;

/**
 * The log destinations of one proxy (frontend, backend or listen) in a snapshot. {@link #log} frames and offers a
 * line to every target whose level admits it (HAProxy's {@code log … <facility> [<max level>]}); never blocks.
 */
public record ProxyLog(List<LogTarget> targets, List<LogSink> sinks) {
    /** Syslog severities as HAProxy uses them for its own messages. */
    public static final int EMERG = 0;
    public static final int ALERT = 1;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    public static final int INFO = 6;

    /** Logs an access-log line (severity info). */
    public void log(String message) {
        log(INFO, message);
    }

    /** Logs {@code message} at syslog {@code severity} (0 emerg .. 7 debug). */
    public void log(int severity, String message) {
        for (int i = 0; i < sinks.size(); i++) {
            LogTarget t = targets.get(i);
            if (t.level() != null && severity > LogSink.severity(t.level())) {
                continue;
            }
            sinks.get(i).log(LogSink.frame(t, severity, message));
        }
    }
}
