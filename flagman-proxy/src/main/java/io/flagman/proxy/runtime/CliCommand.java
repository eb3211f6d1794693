package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import java.util.List;

/**
 * One runtime command: the words that name it ({@code show servers state}), its {@code help} line and the level it
 * needs; {@link #run} parses the rest of the words, acts and formats the reply.
 */
interface CliCommand {

    /** The words that name the command, e.g. {@code [show, servers, state]}. */
    List<String> keywords();

    /** HAProxy's usage line for {@code help} (syntax padded to 40 columns, then {@code : text}), or null. */
    String usage();

    /** The lowest level that may run it; a lower session gets {@code Permission denied}. */
    Level level();

    /** Runs the command; {@code words} is the whole command (keywords included). */
    Reply run(CliContext context, List<String> words);
}
