package io.flagman.proxy;

import io.flagman.config.model.LogTarget;
import java.util.List;

/**
 * The log destinations of one proxy (frontend or listen) in a snapshot. {@link #log} frames and offers a line
 * to every target; never blocks.
 */
public record ProxyLog(List<LogTarget> targets, List<LogSink> sinks) {
    public void log(String message) {
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).log(LogSink.frame(targets.get(i), message));
        }
    }
}
