package io.flagman.proxy.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runtime commands, found by their leading words (the longest match wins), with HAProxy's {@code help} list and
 * its reply to an unknown command (the commands sharing the words that matched, or the five nearest by HAProxy's
 * letter-pair fingerprint). The level is checked here, before a command runs.
 */
final class CommandTable {
    private static final int MAX_KEYWORDS = 5;
    private static final int MAX_MATCHES = 5;
    private static final String FIXED = """
              help [<command>]                        : list matching or all commands
              prompt [help | n | i | p | timed ]*     : toggle interactive mode with prompt
              quit                                    : disconnect
            """;

    private final List<CliCommand> commands;
    private final ServerControl servers;

    CommandTable(List<CliCommand> commands, ServerControl servers) {
        this.commands = List.copyOf(commands);
        this.servers = servers;
    }

    ServerControl servers() {
        return servers;
    }

    /** Every command Flagman serves. */
    static CommandTable standard(ServerControl servers) {
        List<CliCommand> all = new ArrayList<>();
        all.addAll(SessionCommands.all());
        all.addAll(ServerListings.all());
        all.add(new ShowServersState());
        all.addAll(SetServer.all());
        all.addAll(ServerToggles.all());
        all.addAll(Weights.all());
        all.addAll(DynamicServers.all());
        all.addAll(StatsCommands.all());
        all.add(ShowSess.command());
        return new CommandTable(all, servers);
    }

    /** Runs {@code words} (not empty): the command they name if the level allows it, else HAProxy's texts. */
    Reply execute(CliContext context, List<String> words) {
        CliCommand c = find(words);
        if (c == null) {
            return unknown(words);
        }
        if (!context.allows(c.level())) {
            return Reply.PERMISSION_DENIED;
        }
        return c.run(context, words);
    }

    CliCommand find(List<String> words) {
        CliCommand best = null;
        for (CliCommand c : commands) {
            List<String> k = c.keywords();
            if (k.size() <= words.size() && words.subList(0, k.size()).equals(k)
                    && (best == null || k.size() > best.keywords().size())) {
                best = c;
            }
        }
        return best;
    }

    /** {@code help [<words>]}. */
    Reply help(List<String> words) {
        return usage(words, true);
    }

    private Reply unknown(List<String> words) {
        return usage(words, false);
    }

    /** HAProxy's cli_gen_usage_msg: the header, the matching usage lines sorted bytewise, the fixed lines. */
    private Reply usage(List<String> args, boolean isHelp) {
        int length = 0;
        for (CliCommand c : commands) {
            length = Math.max(length, matchingWords(c, args));
        }
        StringBuilder out = new StringBuilder();
        if (isHelp) {
            out.append("The following commands are valid at this level:\n");
        } else {
            String first = args.isEmpty() ? "" : args.getFirst();
            out.append("Unknown command: '").append(first).append("'");
            out.append(length == 0 && first.isEmpty() ? ". Please enter one of the following commands only:\n"
                    : ", but maybe one of the following ones is a better match:\n");
        }
        List<CliCommand> entries = fuzzy(args, length);
        if (entries.isEmpty()) {
            for (CliCommand c : commands) {
                if (c.usage() != null && prefixMatches(c, args, length)) {
                    entries.add(c);
                }
            }
        }
        entries.sort(Comparator.comparing(CliCommand::usage, CommandTable::compareBytes));
        for (CliCommand c : entries) {
            out.append("  ").append(c.usage()).append('\n');
        }
        out.append(FIXED);
        return new Reply.Message(Reply.INFO, out.toString());
    }

    private static int matchingWords(CliCommand c, List<String> args) {
        int n = 0;
        List<String> k = c.keywords();
        for (int i = 0; i < Math.min(MAX_KEYWORDS, k.size()); i++) {
            if (i >= args.size() || args.get(i).isEmpty() || !k.get(i).equals(args.get(i))) {
                break;
            }
            n = i + 1;
        }
        return n;
    }

    private static boolean prefixMatches(CliCommand c, List<String> args, int length) {
        List<String> k = c.keywords();
        for (int i = 0; i < length; i++) {
            if (i >= k.size() || i >= args.size() || !k.get(i).equals(args.get(i))) {
                return false;
            }
        }
        return true;
    }

    private record Match(CliCommand command, int distance) {}

    private List<CliCommand> fuzzy(List<String> args, int length) {
        List<CliCommand> out = new ArrayList<>();
        if (length >= args.size() || args.get(length).isEmpty()) {
            return out;
        }
        List<Match> matches = new ArrayList<>();
        for (CliCommand c : commands) {
            if (c.usage() == null || !prefixMatches(c, args, length) || c.keywords().size() < length) {
                continue;
            }
            int[] wordSig = new int[1024];
            int[] listSig = new int[1024];
            int total = 0;
            for (int i = length; i < MAX_KEYWORDS && i < args.size() && !args.get(i).isEmpty(); i++) {
                fingerprint(wordSig, args.get(i));
                total += args.get(i).length();
            }
            for (int i = length; i < MAX_KEYWORDS && i < c.keywords().size(); i++) {
                fingerprint(listSig, c.keywords().get(i));
                total += c.keywords().get(i).length();
            }
            int dist = 0;
            for (int i = 0; i < 1024; i++) {
                dist += Math.abs(wordSig[i] - listSig[i]);
            }
            int worst = matches.size() < MAX_MATCHES ? Integer.MAX_VALUE : matches.getLast().distance();
            if (dist < 5 * total / 2 && dist < worst) {
                if (matches.size() == MAX_MATCHES) {
                    matches.removeLast();
                }
                int at = matches.size();
                while (at > 0 && matches.get(at - 1).distance() > dist) {
                    at--;
                }
                matches.add(at, new Match(c, dist));
            }
        }
        for (Match m : matches) {
            if (m.distance() > 5 * matches.getFirst().distance() / 2) {
                break;
            }
            out.add(m.command());
        }
        return out;
    }

    /** HAProxy's update_word_fingerprint: letter presence and letter-pair counts of a word (bytes of 8 bits). */
    private static void fingerprint(int[] fp, String word) {
        int from = 28;
        for (int i = 0; i < word.length(); i++) {
            char c = Character.toLowerCase(word.charAt(i));
            int to;
            if (c >= 'a' && c <= 'z') {
                to = c - 'a' + 1;
            } else if (c >= '0' && c <= '9') {
                to = 27;
            } else {
                to = 28;
            }
            fp[to] = 1;
            fp[32 * from + to] = (fp[32 * from + to] + 1) & 0xff;
            from = to;
        }
        fp[32 * from + 28] = (fp[32 * from + 28] + 1) & 0xff;
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
