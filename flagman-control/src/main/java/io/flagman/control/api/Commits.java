package io.flagman.control.api;

import io.flagman.config.text.Diagnostic;
import io.flagman.control.ApiException;
import io.flagman.control.service.CommitResult;
import io.flagman.control.service.CommitResult.Accepted;
import io.flagman.control.service.CommitResult.ApplyFailed;
import io.flagman.control.service.CommitResult.Committed;
import io.flagman.control.service.CommitResult.Conflict;
import io.flagman.control.service.CommitResult.EditRefused;
import io.flagman.control.service.CommitResult.Invalid;
import io.flagman.control.service.CommitResult.Refused;
import io.flagman.control.service.CommitResult.Staged;
import io.flagman.control.service.CommitResult.StoreFailed;
import io.flagman.control.service.CommitResult.TransactionUnusable;
import java.util.List;

/**
 * The one mapping from the commit pipeline's {@link CommitResult} to HTTP: an accepted change is returned to the
 * route (which picks 201/202/200/204 and the {@code Reload-Id}); every refusal becomes the Data Plane API's
 * error status and message.
 */
final class Commits {
    private Commits() {}

    /** The accepted result, or the {@link ApiException} that answers a refused one. */
    static Accepted accepted(CommitResult result) {
        if (result instanceof Accepted a) {
            return a;
        }
        throw refusal(result);
    }

    /** {@code validation error: …} (400) unless {@code errors} is empty. */
    static void valid(List<Diagnostic> errors) {
        if (!errors.isEmpty()) {
            throw refusal(new Invalid(errors));
        }
    }

    static ApiException refusal(CommitResult result) {
        return switch (result) {
            case Committed c -> throw new IllegalArgumentException("not a refusal: " + c);
            case Staged s -> throw new IllegalArgumentException("not a refusal: " + s);
            case Conflict c -> ApiException.conflict(c.describe());
            case Invalid i -> ApiException.badRequest(i.describe());
            case ApplyFailed f -> ApiException.badRequest(f.describe());
            case StoreFailed f -> new ApiException(500, f.describe());
            case Refused r -> new ApiException(r.status(), r.describe());
            // The Data Plane API's error prefixes (misc.HandleError), before ConfigEditor's own words.
            case EditRefused e -> switch (e.error().kind()) {
                case NOT_FOUND -> ApiException.notFound(e.describe());
                case ALREADY_EXISTS -> ApiException.conflict("object already exists: " + e.describe());
                case OUT_OF_RANGE -> ApiException.badRequest("index out of range: " + e.describe());
                case MISSING_PARENT -> ApiException.badRequest("missing parent: " + e.describe());
            };
            case TransactionUnusable t -> new ApiException(!t.commit() ? 400 : t.status() == null ? 404 : 406,
                    t.describe());
        };
    }
}
