package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import java.util.List;

/**
 * The commands about the connection itself: {@code help}, {@code prompt}, {@code quit}, {@code echo},
 * {@code operator}, {@code user}, {@code show cli level}, {@code set severity-output} and {@code show version}.
 */
final class SessionCommands {
    static final String PROMPT_USAGE = """
            Usage: prompt [help | n | i | p | timed]*
            Changes the default prompt and interactive mode. Available options:
              help    display this help
              n       set to single-command mode (no prompt, single command)
              i       set to interactive mode only (no prompt, multi-command)
              p       set to prompt+interactive mode (prompt + multi-command)
              timed   toggle displaying the current date in the prompt
            Without any argument, toggles between n/i->p, p->n.
            """;

    private SessionCommands() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("help", null, Level.USER, (c, w) -> c.table().help(w.subList(1, w.size()))),
                SimpleCommand.of("prompt", null, Level.USER, SessionCommands::prompt),
                SimpleCommand.of("quit", null, Level.USER, (c, w) -> new Reply.Quit()),
                SimpleCommand.of("echo", "echo <text>                             : print text to the output",
                        Level.USER, (c, w) -> Reply.info(String.join(" ", w.subList(1, w.size())))),
                SimpleCommand.of("operator",
                        "operator                                : lower the level of the current CLI session to operator",
                        Level.OPERATOR, (c, w) -> lower(c, Level.OPERATOR)),
                SimpleCommand.of("user",
                        "user                                    : lower the level of the current CLI session to user",
                        Level.USER, (c, w) -> lower(c, Level.USER)),
                SimpleCommand.of("show cli level",
                        "show cli level                          : display the level of the current CLI session",
                        Level.USER, (c, w) -> Reply.info(c.level().word())),
                SimpleCommand.of("set severity-output",
                        "set severity-output [none|number|string]: set presence of severity level in feedback information",
                        Level.USER, SessionCommands::severityOutput),
                SimpleCommand.of("show version",
                        "show version                            : show version of the current process",
                        Level.USER, (c, w) -> Reply.info(Version.text())));
    }

    private static Reply lower(CliContext c, Level level) {
        c.lowerTo(level);
        return Reply.EMPTY;
    }

    private static Reply severityOutput(CliContext c, List<String> w) {
        String v = w.size() > 2 ? w.get(2) : "";
        switch (v) {
            case "none" -> c.severityOutput(CliContext.SeverityOutput.NONE);
            case "number" -> c.severityOutput(CliContext.SeverityOutput.NUMBER);
            case "string" -> c.severityOutput(CliContext.SeverityOutput.STRING);
            default -> {
                return Reply.error("one of 'none', 'number', 'string' is a required argument");
            }
        }
        return Reply.EMPTY;
    }

    /** {@code prompt [n|i|p|timed|help]*}: plain {@code prompt} toggles n/i to p and p to n. */
    private static Reply prompt(CliContext c, List<String> w) {
        CliContext.Mode mode = null;
        boolean timed = false;
        for (String a : w.subList(1, w.size())) {
            switch (a) {
                case "n" -> mode = CliContext.Mode.NONE;
                case "i" -> mode = CliContext.Mode.SILENT;
                case "p" -> mode = CliContext.Mode.PROMPT;
                case "timed" -> timed = true;
                case "help" -> {
                    return Reply.info(PROMPT_USAGE);
                }
                default -> {
                    return Reply.error(PROMPT_USAGE);
                }
            }
        }
        if (timed) {
            boolean wasTimed = c.mode() == CliContext.Mode.TIMED;
            CliContext.Mode base = mode != null ? mode : CliContext.Mode.PROMPT;
            c.mode(!wasTimed && base == CliContext.Mode.PROMPT ? CliContext.Mode.TIMED : base);
        } else if (mode != null) {
            c.mode(mode);
        } else {
            boolean prompting = c.mode() == CliContext.Mode.PROMPT || c.mode() == CliContext.Mode.TIMED;
            c.mode(prompting ? CliContext.Mode.NONE : CliContext.Mode.PROMPT);
        }
        return Reply.EMPTY;
    }
}
