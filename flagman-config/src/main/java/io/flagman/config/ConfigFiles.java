package io.flagman.config;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Bind;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Config;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.ErrorFile;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files a configuration reads besides itself, as written in it: bind {@code crt} (a file or a directory of
 * PEM files), {@code errorfile}, the {@code file}/{@code lf-file}/{@code errorfile} of {@code http-request
 * return}, and the {@code -f} pattern files of ACLs (named and anonymous). What the data plane reads when it
 * compiles a configuration and what the file watcher watches come from this one list. Stateless.
 */
public final class ConfigFiles {

    private ConfigFiles() {}

    /** Every file {@code config} reads, each once, in configuration order (paths as written). */
    public static List<String> of(Config config) {
        Set<String> out = new LinkedHashSet<>();
        for (Frontend f : config.frontends()) {
            if (f.disabled()) {
                continue;
            }
            for (Bind b : f.binds()) {
                if (b.ssl()) {
                    out.addAll(b.certificates());
                }
            }
            errorFiles(out, f.errorFiles());
            acls(out, f.acls());
            rules(out, f.httpRequestRules());
            rules(out, f.httpResponseRules());
            rules(out, f.redirectRules());
            for (UseBackend u : f.useBackends()) {
                condition(out, u.condition());
            }
        }
        for (Backend b : config.backends()) {
            if (b.disabled()) {
                continue;
            }
            errorFiles(out, b.errorFiles());
            acls(out, b.acls());
            rules(out, b.httpRequestRules());
            rules(out, b.httpResponseRules());
            rules(out, b.redirectRules());
            for (UseServer u : b.useServers()) {
                condition(out, u.condition());
            }
        }
        return List.copyOf(out);
    }

    /**
     * A digest of what reading {@code path} gives now, symlinks followed: of its bytes for a file, of every
     * entry's name and bytes for a directory; {@code "missing"} or {@code "unreadable: …"} when it cannot be read.
     * Equal digests mean equal content, whatever the modification times say.
     */
    public static String digest(Path path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(path)) {
                Map<String, Path> entries = new TreeMap<>();
                try (var s = Files.list(path)) {
                    s.forEach(p -> entries.put(p.getFileName().toString(), p));
                }
                for (Map.Entry<String, Path> e : entries.entrySet()) {
                    md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    if (Files.isRegularFile(e.getValue())) {
                        md.update(Files.readAllBytes(e.getValue()));
                    }
                    md.update((byte) 0);
                }
            } else if (!Files.exists(path)) {
                return "missing";
            } else {
                md.update(Files.readAllBytes(path));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | SecurityException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@link #digest} of each file of {@code config}, keyed by the path as written. */
    public static Map<String, String> digests(Config config) {
        Map<String, String> out = new TreeMap<>();
        for (String file : of(config)) {
            try {
                out.put(file, digest(Path.of(file)));
            } catch (InvalidPathException e) {
                out.put(file, "invalid path");
            }
        }
        return Map.copyOf(out);
    }

    private static void errorFiles(Set<String> out, List<ErrorFile> files) {
        for (ErrorFile e : files) {
            out.add(e.path());
        }
    }

    private static void acls(Set<String> out, List<Acl> acls) {
        for (Acl a : acls) {
            test(out, a.test());
        }
    }

    private static void rules(Set<String> out, List<HttpRule> rules) {
        for (HttpRule r : rules) {
            if (r instanceof HttpRule.Return ret && (ret.format() == ContentFormat.FILE
                    || ret.format() == ContentFormat.LF_FILE || ret.format() == ContentFormat.ERRORFILE)) {
                out.add(ret.content());
            }
            condition(out, r.condition());
        }
    }

    private static void condition(Set<String> out, Condition condition) {
        if (condition == null) {
            return;
        }
        for (List<Condition.Term> and : condition.alternatives()) {
            for (Condition.Term term : and) {
                if (term.anonymous() != null) {
                    test(out, term.anonymous());
                }
            }
        }
    }

    private static void test(Set<String> out, AclTest test) {
        out.addAll(test.patternFiles());
    }
}
