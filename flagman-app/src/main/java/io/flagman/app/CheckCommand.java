package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.text.Diagnostic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagman check FILE [--json]}: reads a configuration through every layer and reports all problems.
 * Exit status 0 when valid (warnings allowed), 1 when invalid, 2 on usage errors (picocli's default).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a configuration file (HAProxy syntax) and report every problem with its position.")
public class CheckCommand implements Callable<Integer> {

    /** Exit status of a configuration with errors. */
    public static final int INVALID = 1;

    @Parameters(index = "0", paramLabel = "FILE", description = "the configuration file")
    private Path file;

    @Option(names = "--json", description = "print {\"valid\":…,\"diagnostics\":[…]} to stdout instead of text")
    private boolean json;

    @Spec
    private CommandSpec spec;

    public CheckCommand() {}

    @Override
    public Integer call() {
        LoadResult result = ConfigLoader.load(file);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.println(toJson(result));
        } else {
            for (Diagnostic d : result.diagnostics()) {
                err.println(d.format());
            }
            err.flush();
            out.println(summary(file.toString(), result));
        }
        out.flush();
        return exitCode(result);
    }

    /** 0 when the configuration is valid (warnings allowed), {@link #INVALID} otherwise. */
    public static int exitCode(LoadResult result) {
        return result.ok() ? 0 : INVALID;
    }

    /** {@code FILE: valid (1 warning)} or {@code FILE: invalid (3 errors, 1 warning)}. */
    static String summary(String name, LoadResult result) {
        long errors = result.diagnostics().stream().filter(Diagnostic::isError).count();
        long warnings = result.diagnostics().size() - errors;
        StringBuilder s = new StringBuilder(name).append(result.ok() ? ": valid" : ": invalid");
        if (errors > 0 || warnings > 0) {
            s.append(" (");
            if (errors > 0) {
                s.append(plural(errors, "error"));
            }
            if (warnings > 0) {
                s.append(errors > 0 ? ", " : "").append(plural(warnings, "warning"));
            }
            s.append(')');
        }
        return s.toString();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** {@code {"valid":bool,"diagnostics":[{"severity","file","line","column","message","hint"}]}}. */
    static String toJson(LoadResult result) {
        StringBuilder s = new StringBuilder("{\"valid\":").append(result.ok()).append(",\"diagnostics\":[");
        boolean first = true;
        for (Diagnostic d : result.diagnostics()) {
            s.append(first ? "" : ",").append("{\"severity\":");
            string(s, d.isError() ? "error" : "warning");
            s.append(",\"file\":");
            string(s, d.file());
            s.append(",\"line\":").append(d.line()).append(",\"column\":").append(d.column()).append(",\"message\":");
            string(s, d.message());
            s.append(",\"hint\":");
            string(s, d.hint());
            s.append('}');
            first = false;
        }
        return s.append("]}").toString();
    }

    /** A JSON string literal (RFC 8259: quote, backslash and control characters escaped), or null. */
    private static void string(StringBuilder s, String value) {
        if (value == null) {
            s.append("null");
            return;
        }
        s.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
