package io.flagman.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.edit.EditException;
import io.flagman.config.text.Diagnostic;
import io.flagman.control.ApiException;
import io.flagman.control.service.CommitResult;
import io.flagman.control.service.Transaction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's one mapping of commit results to statuses and messages (the service has none). */
class CommitsTest {

    private static ApiException refused(CommitResult r) {
        try {
            Commits.accepted(r);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted: " + r);
    }

    @Test
    void acceptedResultsPassThrough() {
        CommitResult committed = new CommitResult.Committed(8, "2026-12-01-3");
        CommitResult staged = new CommitResult.Staged("tx", 7);
        assertThat(Commits.accepted(committed)).isSameAs(committed);
        assertThat(Commits.accepted(staged)).isSameAs(staged);
        assertThatThrownBy(() -> Commits.refusal(committed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRefusalHasItsStatusAndMessage() {
        ApiException conflict = refused(new CommitResult.Conflict(7, 6, false));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.getMessage())
                .isEqualTo("version mismatch: version in configuration file is 7, given version is 6");
        assertThat(refused(new CommitResult.Conflict(7, 6, true)).getMessage())
                .isEqualTo("version mismatch: version mismatch, transaction version: 6, configured version: 7");

        Diagnostic d = new Diagnostic(Diagnostic.Severity.ERROR, "haproxy.cfg", 3, 5, "unknown keyword 'frob'",
                null);
        ApiException invalid = refused(new CommitResult.Invalid(List.of(d)));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.getMessage()).isEqualTo("validation error: " + d.format());

        ApiException apply = refused(new CommitResult.ApplyFailed("frontend 'x' bind :80: cannot bind"));
        assertThat(apply.status()).isEqualTo(400);
        assertThat(apply.getMessage())
                .isEqualTo("apply failed: frontend 'x' bind :80: cannot bind; nothing was changed");
        assertThat(refused(new CommitResult.StoreFailed("cannot write f")).status()).isEqualTo(500);
        ApiException gate = refused(new CommitResult.Refused(503, "the cluster store is unreachable"));
        assertThat(gate.status()).isEqualTo(503);
        assertThat(gate.getMessage()).isEqualTo("the cluster store is unreachable");

        assertThat(refused(edit(EditException.Kind.NOT_FOUND, "backend b")).status()).isEqualTo(404);
        assertThat(refused(edit(EditException.Kind.NOT_FOUND, "backend b")).getMessage())
                .isEqualTo("missing object: backend b");
        assertThat(refused(edit(EditException.Kind.ALREADY_EXISTS, "b")).status()).isEqualTo(409);
        assertThat(refused(edit(EditException.Kind.OUT_OF_RANGE, "9")).getMessage()).isEqualTo("index out of range: 9");
        assertThat(refused(edit(EditException.Kind.MISSING_PARENT, "p")).getMessage()).isEqualTo("missing parent: p");

        assertThat(refused(new CommitResult.TransactionUnusable("t", null, false)).status()).isEqualTo(400);
        assertThat(refused(new CommitResult.TransactionUnusable("t", null, true)).status()).isEqualTo(404);
        ApiException closed = refused(new CommitResult.TransactionUnusable("t", Transaction.Status.FAILED, true));
        assertThat(closed.status()).isEqualTo(406);
        assertThat(closed.getMessage()).isEqualTo("transaction t is failed and cannot be committed");
    }

    private static CommitResult edit(EditException.Kind kind, String message) {
        return new CommitResult.EditRefused(new EditException(kind, message));
    }
}
