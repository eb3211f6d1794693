package io.flagman.config.validate;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Bind;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.Defaults;
import io.flagman.config.model.ErrorFile;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Match;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a configuration loads besides itself: regular expressions compile, and referenced files exist
 * ({@code errorfile}, {@code return … file|lf-file|errorfile}, bind {@code crt}, acl {@code -f}). Relative paths
 * are resolved against the base directory, as HAProxy resolves them against its working directory.
 */
final class ResourceRules {

    private final Context ctx;
    /** "line:path" already reported, because defaults copy the same errorfile into many proxies. */
    private final Set<String> reported = new HashSet<>();

    ResourceRules(Context ctx) {
        this.ctx = ctx;
    }

    void check() {
        for (Context.Proxy p : ctx.proxies()) {
            for (Context.Test t : p.tests()) {
                regexes(t.test(), t.line());
                for (String file : t.test().patternFiles()) {
                    file(t.line(), ctx.positions().find(t.line(), file), "acl pattern file", file, false);
                }
            }
        }
        for (Frontend f : ctx.config().frontends()) {
            for (Bind b : f.binds()) {
                for (String crt : b.certificates()) {
                    // crt may name a directory of PEM files, as in HAProxy.
                    file(b.line(), ctx.positions().find(b.line(), crt, 2), "bind certificate", crt, true);
                }
            }
            rules(f.httpRequestRules());
            rules(f.httpResponseRules());
            rules(f.redirectRules());
            errorFiles(f.line(), f.errorFiles());
        }
        for (Backend b : ctx.config().backends()) {
            rules(b.httpRequestRules());
            rules(b.httpResponseRules());
            rules(b.redirectRules());
            errorFiles(b.line(), b.errorFiles());
        }
        for (Defaults d : ctx.config().defaults()) {
            errorFiles(d.line(), d.errorFiles());
        }
    }

    private void rules(List<HttpRule> rules) {
        for (HttpRule r : rules) {
            switch (r) {
                case HttpRule.Return ret when ret.format() == ContentFormat.FILE
                        || ret.format() == ContentFormat.LF_FILE || ret.format() == ContentFormat.ERRORFILE ->
                    file(ret.line(), ctx.positions().find(ret.line(), ret.content(), 2),
                            "'" + ret.format().keyword() + "' of an http return rule", ret.content(), false);
                case HttpRule.DelHeader del when del.method() == Match.REG ->
                    regex(del.name(), false, del.line(), ctx.positions().find(del.line(), del.name(), 2));
                default -> { }
            }
        }
    }

    private void errorFiles(int headerLine, List<ErrorFile> files) {
        for (ErrorFile e : files) {
            int line = ctx.positions().directive(headerLine,
                    l -> "errorfile".equals(l.keyword()) && e.path().equals(l.word(2)));
            int at = line == 0 ? headerLine : line;
            file(at, ctx.positions().word(line, 2), "errorfile " + e.status(), e.path(), false);
        }
    }

    private void regexes(AclTest test, int line) {
        if (test.match() != Match.REG) {
            return;
        }
        for (String p : test.patterns()) {
            regex(p, test.ignoreCase(), line, ctx.positions().find(line, p));
        }
    }

    private void regex(String pattern, boolean ignoreCase, int line, int column) {
        try {
            Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            if (!reported.add(line + ":re:" + pattern)) {
                return;
            }
            ctx.out().error(line, column, "invalid regular expression '" + pattern + "': " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "")
                    + " (expected: a PCRE-compatible regular expression)",
                    "escape literal characters such as ( [ { . with a backslash");
        }
    }

    private void file(int line, int column, String what, String path, boolean directoryAllowed) {
        Path resolved;
        try {
            Path p = Path.of(path);
            resolved = p.isAbsolute() || ctx.baseDir() == null ? p : ctx.baseDir().resolve(p).normalize();
        } catch (InvalidPathException e) {
            resolved = null;
        }
        boolean ok = resolved != null && (directoryAllowed ? Files.exists(resolved)
                : Files.isRegularFile(resolved) && Files.isReadable(resolved));
        if (ok || !reported.add(line + ":file:" + path)) {
            return;
        }
        List<String> where = new ArrayList<>();
        if (resolved != null && !resolved.toString().equals(path)) {
            where.add(" (looked for " + resolved + ")");
        }
        ctx.out().error(line, column, what + ": file '" + path + "' does not exist or is not readable"
                + String.join("", where) + " (expected: an existing " + (directoryAllowed ? "file or directory"
                : "readable file") + ")",
                Path.of(path).isAbsolute() ? "create the file or fix the path"
                        : "relative paths are resolved against the configuration's directory");
    }
}
