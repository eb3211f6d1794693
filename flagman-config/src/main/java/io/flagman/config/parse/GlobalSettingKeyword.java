package io.flagman.config.parse;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The global settings Flagman uses: {@code maxconn}, {@code nbthread} and {@code hard-stop-after}. */
final class GlobalSettingKeyword implements Keyword<GlobalBuilder> {

    static final GlobalSettingKeyword MAXCONN = new GlobalSettingKeyword("maxconn", "maxconn <number>",
            "the process-wide connection limit");
    static final GlobalSettingKeyword NBTHREAD = new GlobalSettingKeyword("nbthread", "nbthread <number>",
            "the number of event-loop threads (default: one per core)");
    static final GlobalSettingKeyword HARD_STOP_AFTER = new GlobalSettingKeyword("hard-stop-after",
            "hard-stop-after <duration>", "how long removed listeners may drain on reload or stop");

    private final String name;
    private final String usage;
    private final String summary;

    private GlobalSettingKeyword(String name, String usage, String summary) {
        this.name = name;
        this.usage = usage;
        this.summary = summary;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return usage;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.GLOBAL);
    }

    @Override
    public void parse(Directive d, GlobalBuilder target) {
        if (d.size() > 2) {
            d.error(2, name + ": unexpected '" + d.word(2) + "'", "usage: " + usage);
            return;
        }
        switch (name) {
            case "maxconn" -> {
                Integer v = Values.integer(d, 1, 0, Integer.MAX_VALUE, "maxconn");
                if (v != null) {
                    target.maxconn = v;
                }
            }
            case "nbthread" -> {
                Integer v = Values.integer(d, 1, 1, 4096, "thread count");
                if (v != null) {
                    target.nbthread = v;
                }
            }
            case "hard-stop-after" -> {
                Duration v = Values.duration(d, 1);
                if (v != null) {
                    target.hardStopAfter = v;
                }
            }
            default -> throw new IllegalStateException(name);
        }
    }

    static List<String> write(String keyword, String value) {
        return List.of(keyword, value);
    }
}
