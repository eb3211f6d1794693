package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.cluster.ConfigVersion;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.StoreResult;
import io.flagman.config.text.Diagnostic;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.WhatIf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a requests file ({@link RequestsFile}) against one configuration's routing ({@link WhatIf}) and writes the
 * report: per request, the frontend, the backend and the rule ({@code FILE:LINE}) that decided, or the answer it
 * would get, and whether its {@code expect} holds. Used by {@code flagman test} and {@code promote --require-test}.
 */
final class WhatIfRun {

    /**
     * The report's lines and its verdict: {@code passed} is false when the configuration or the requests file is
     * invalid, a request could not be evaluated, or an expectation does not hold.
     */
    record Report(List<String> lines, boolean passed, int requests, int failed) {}

    private WhatIfRun() {}

    /**
     * @param configName how the report names the configuration in {@code FILE:LINE}
     * @param baseDir what relative file names of the configuration are resolved against
     */
    static Report run(String configName, String configText, Path baseDir, String requestsName, String requestsText) {
        List<String> out = new ArrayList<>();
        LoadResult loaded = ConfigLoader.fromText(configName, configText, baseDir);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.errors()) {
                out.add(d.format());
            }
            out.add(configName + " is invalid: nothing evaluated");
            return new Report(out, false, 0, 0);
        }
        WhatIf whatIf;
        try {
            whatIf = WhatIf.compile(loaded.config());
        } catch (ApplyException e) {
            out.add(configName + ": the data plane would refuse it: " + e.getMessage());
            return new Report(out, false, 0, 0);
        }
        RequestsFile.Parsed parsed = RequestsFile.parse(requestsText);
        for (RequestsFile.Problem p : parsed.problems()) {
            out.add(requestsName + ":" + p.line() + ": error: " + p.message());
        }
        int failed = parsed.problems().size();
        for (RequestsFile.Sample s : parsed.samples()) {
            WhatIf.Outcome outcome = whatIf.evaluate(s.request());
            String head = requestsName + ":" + s.line() + ": " + s.text() + "\n    -> ";
            switch (outcome) {
                case WhatIf.Problem p -> {
                    out.add(head + "not evaluated: " + p.message());
                    failed++;
                }
                case WhatIf.Verdict v -> {
                    String mismatch = mismatch(s.expect(), v);
                    StringBuilder line = new StringBuilder(head).append(describe(v, configName));
                    if (mismatch != null) {
                        line.append("\n    FAIL: ").append(mismatch);
                        failed++;
                    } else if (s.expect().any()) {
                        line.append("\n    ok");
                    }
                    for (String note : v.notes()) {
                        line.append("\n    note: ").append(note);
                    }
                    out.add(line.toString());
                }
            }
        }
        int total = parsed.samples().size() + parsed.problems().size();
        out.add(total + " request" + (total == 1 ? "" : "s") + ", " + failed + " failed");
        return new Report(out, failed == 0, total, failed);
    }

    /**
     * The requests against version {@code n} of the fleet in {@code store} (named {@code version N} in
     * {@code FILE:LINE}; relative file names of the configuration resolve against the working directory).
     * A version that does not exist, or etcd unavailable, fails the run with the reason.
     */
    static Report version(EtcdStore store, long n, String requestsName, String requestsText) {
        StoreResult<Optional<ConfigVersion>> v = store.version(n);
        if (!(v instanceof StoreResult.Ok<Optional<ConfigVersion>> ok)) {
            return new Report(List.of("cannot read version " + n + " from etcd: " + v.message()), false, 0, 0);
        }
        if (ok.value().isEmpty()) {
            return new Report(List.of("no version " + n + " in etcd under " + store.prefix()), false, 0, 0);
        }
        return run("version " + n, ok.value().get().text(), Path.of("").toAbsolutePath(), requestsName,
                requestsText);
    }

    /** {@code frontend F, backend B (use_backend at FILE:LINE)[, answered N by … at FILE:LINE]}. */
    static String describe(WhatIf.Verdict v, String file) {
        StringBuilder s = new StringBuilder("frontend ").append(v.frontend());
        if (v.backend() != null) {
            s.append(", backend ").append(v.backend());
        }
        if (v.routedBy() != null) {
            s.append(" (").append(v.routedBy().kind()).append(" at ").append(v.routedBy().at(file)).append(')');
        }
        WhatIf.Step a = v.answeredBy();
        if (a != null) {
            s.append(v.backend() != null || v.routedBy() != null ? ", " : ": ");
            if (a.kind().equals("no backend")) {
                s.append("no backend (no use_backend matched and no default_backend): ").append(a.status() > 0
                        ? "answered " + a.status() : "connection closed");
            } else {
                s.append("answered ").append(a.status()).append(" by ").append(a.kind());
                if (a.line() > 0) {
                    s.append(" at ").append(a.at(file));
                }
                s.append(" in '").append(a.proxy()).append('\'');
                if (a.detail() != null) {
                    s.append(" (location ").append(a.detail()).append(')');
                }
            }
        } else {
            s.append(": forwarded to a server");
        }
        return s.toString();
    }

    /** What does not hold of {@code e}, or null. */
    static String mismatch(RequestsFile.Expectation e, WhatIf.Verdict v) {
        List<String> wrong = new ArrayList<>();
        if (e.backend() != null && !e.backend().equals(v.backend())) {
            wrong.add("expected backend " + e.backend() + ", got " + (v.backend() == null ? "none" : v.backend()));
        }
        if (e.status() != 0) {
            int got = v.answeredBy() == null ? 0 : v.answeredBy().status();
            if (got != e.status()) {
                wrong.add("expected status " + e.status() + ", got " + (got == 0 ? "a server's answer (forwarded)"
                        : String.valueOf(got)));
            }
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }
}
