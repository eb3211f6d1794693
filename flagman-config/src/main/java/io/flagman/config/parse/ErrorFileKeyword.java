package io.flagman.config.parse;

import io.flagman.config.model.ErrorFile;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code errorfile <status> <file>}. */
final class ErrorFileKeyword implements Keyword<ProxyBuilder> {

    static final ErrorFileKeyword INSTANCE = new ErrorFileKeyword();

    /** The statuses HAProxy can produce itself and therefore lets you replace. */
    static final List<Integer> STATUSES = List.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500,
            501, 502, 503, 504);

    @Override
    public String name() {
        return "errorfile";
    }

    @Override
    public String usage() {
        return "errorfile <status> <file>";
    }

    @Override
    public String summary() {
        return "replace the response Flagman generates for a status with a raw HTTP response file";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        Integer status = Values.integer(d, 1, 100, 599, "status code");
        if (status == null) {
            return;
        }
        if (!STATUSES.contains(status)) {
            d.error(1, "errorfile: status " + status + " cannot be replaced",
                    "expected one of: " + String.join(" ", STATUSES.stream().map(String::valueOf).toList()));
            return;
        }
        String file = d.word(2);
        if (file == null) {
            d.missing(2, "a file");
            return;
        }
        if (d.size() > 3) {
            d.error(3, "errorfile: unexpected '" + d.word(3) + "'", "usage: " + usage());
            return;
        }
        target.errorFiles.put(status, new ErrorFile(status, file));
    }

    static List<String> write(ErrorFile e) {
        return List.of("errorfile", Integer.toString(e.status()), e.path());
    }
}
