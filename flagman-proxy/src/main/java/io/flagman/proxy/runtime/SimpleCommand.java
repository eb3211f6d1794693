package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import java.util.List;
import java.util.function.BiFunction;

/** A command whose whole behaviour is one function: the families build their table entries with it. */
record SimpleCommand(List<String> keywords, String usage, Level level, BiFunction<CliContext, List<String>, Reply> body)
        implements CliCommand {

    static SimpleCommand of(String keywords, String usage, Level level,
            BiFunction<CliContext, List<String>, Reply> body) {
        return new SimpleCommand(List.of(keywords.split(" ")), usage, level, body);
    }

    @Override
    public Reply run(CliContext context, List<String> words) {
        return body.apply(context, words);
    }
}
