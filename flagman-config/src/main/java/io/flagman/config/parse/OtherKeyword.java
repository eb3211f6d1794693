package io.flagman.config.parse;

import java.util.Set;

/**
 * A keyword HAProxy knows that Flagman either ignores (a warning saying so: it changes nothing Flagman does) or
 * does not implement (an error naming it: it would change traffic, so it is never silently dropped).
 */
final class OtherKeyword<B> implements Keyword<B> {

    private final String name;
    private final Support support;
    private final String note;
    private final Set<Scope> scopes;

    private OtherKeyword(String name, Support support, String note, Set<Scope> scopes) {
        this.name = name;
        this.support = support;
        this.note = note;
        this.scopes = scopes;
    }

    static <B> OtherKeyword<B> ignored(String name, String note, Set<Scope> scopes) {
        return new OtherKeyword<>(name, Support.IGNORED, note, scopes);
    }

    static <B> OtherKeyword<B> unsupported(String name, Set<Scope> scopes) {
        return new OtherKeyword<>(name, Support.NOT_SUPPORTED, null, scopes);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return name + " …";
    }

    @Override
    public String summary() {
        return support == Support.IGNORED ? "accepted with a warning: " + note : "error: not supported yet";
    }

    @Override
    public Set<Scope> scopes() {
        return scopes;
    }

    @Override
    public Support support() {
        return support;
    }

    @Override
    public void parse(Directive d, B target) {
        if (support == Support.IGNORED) {
            d.warning(0, "'" + name + "' has no effect in Flagman", note);
        } else {
            d.error(0, "'" + name + "' is not supported yet",
                    "Flagman does not implement it and will not silently ignore it; remove it or see docs/configuration.md");
        }
    }
}
