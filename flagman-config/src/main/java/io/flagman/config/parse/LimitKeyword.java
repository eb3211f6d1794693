package io.flagman.config.parse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The numeric proxy settings {@code maxconn}, {@code backlog} and {@code retries}. */
final class LimitKeyword implements Keyword<ProxyBuilder> {

    enum Kind {
        MAXCONN("maxconn", "the frontend's concurrent connection limit",
                EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND)),
        BACKLOG("backlog", "the listen backlog of the frontend's binds", EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND)),
        RETRIES("retries", "connection attempts after a failed one (default 3)",
                EnumSet.of(Scope.DEFAULTS, Scope.BACKEND));

        final String keyword;
        final String summary;
        final Set<Scope> scopes;

        Kind(String keyword, String summary, Set<Scope> scopes) {
            this.keyword = keyword;
            this.summary = summary;
            this.scopes = scopes;
        }
    }

    static final LimitKeyword MAXCONN = new LimitKeyword(Kind.MAXCONN);
    static final LimitKeyword BACKLOG = new LimitKeyword(Kind.BACKLOG);
    static final LimitKeyword RETRIES = new LimitKeyword(Kind.RETRIES);

    private final Kind kind;

    private LimitKeyword(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind.keyword;
    }

    @Override
    public String usage() {
        return kind.keyword + " <number>";
    }

    @Override
    public String summary() {
        return kind.summary;
    }

    @Override
    public Set<Scope> scopes() {
        return kind.scopes;
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        Integer v = Values.integer(d, 1, 0, Integer.MAX_VALUE, kind.keyword);
        if (v == null) {
            return;
        }
        if (d.size() > 2) {
            d.error(2, kind.keyword + ": unexpected '" + d.word(2) + "'", "usage: " + usage());
            return;
        }
        switch (kind) {
            case MAXCONN -> target.maxconn = v;
            case BACKLOG -> target.backlog = v;
            case RETRIES -> target.retries = v;
        }
    }

    static List<String> write(String keyword, int value) {
        return List.of(keyword, Integer.toString(value));
    }
}
