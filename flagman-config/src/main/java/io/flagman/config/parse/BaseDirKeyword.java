package io.flagman.config.parse;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code crt-base <dir>} and {@code ca-base <dir>} (global): the directory a relative certificate (bind
 * {@code crt}) or CA file ({@code ca-file}, {@code crl-file}) path is read from, as in HAProxy. An absolute path is
 * used as written. Flagman reads no CA files yet ({@code ca-file} is an error wherever it appears), so
 * {@code ca-base} alone changes nothing; it is kept so that the line means what it says once they are.
 */
final class BaseDirKeyword implements Keyword<GlobalBuilder> {

    static final BaseDirKeyword CRT_BASE = new BaseDirKeyword("crt-base", "the directory relative bind 'crt' paths"
            + " are read from");
    static final BaseDirKeyword CA_BASE = new BaseDirKeyword("ca-base", "the directory relative 'ca-file' and"
            + " 'crl-file' paths are read from (those options are not supported yet)");

    private final String name;
    private final String summary;

    private BaseDirKeyword(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return name + " <dir>";
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
        String dir = d.word(1);
        if (dir == null) {
            d.missing(1, "a directory");
            return;
        }
        if (d.size() > 2) {
            d.error(2, name + ": unexpected '" + d.word(2) + "'", "usage: " + usage());
            return;
        }
        if (this == CRT_BASE) {
            target.crtBase = dir;
        } else {
            target.caBase = dir;
        }
    }

    /** {@code file} read from {@code base} when it is relative and a base is set (HAProxy's rule). */
    static String resolve(String base, String file) {
        if (base == null || file.startsWith("/")) {
            return file;
        }
        return Path.of(base).resolve(file).toString();
    }

    static List<String> write(String keyword, String dir) {
        return List.of(keyword, dir);
    }
}
