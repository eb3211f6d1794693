package io.flagman.control.service;

import io.flagman.config.edit.EditException;
import io.flagman.config.text.Diagnostic;
import java.util.List;

/**
 * What the commit pipeline ({@link ConfigService#write}, {@link ConfigService#postRaw},
 * {@link ConfigService#commit}, {@link ConfigService#pollFile}, {@link ConfigService#applyExternal}) did with one
 * change, as data: accepted (live, or
 * staged in a transaction) or refused with the reason. Every refusal leaves the file, the running configuration
 * and the version as they were. The service knows nothing of HTTP; the API layer alone maps these to statuses
 * ({@code io.flagman.control.api.Commits}). {@link #describe()} is the one human wording, for the API's messages
 * and the log alike.
 */
public sealed interface CommitResult {

    /** The human-readable outcome (the API's error message; the log line of a refused hand edit). */
    String describe();

    /** The change was accepted. */
    sealed interface Accepted extends CommitResult permits Committed, Staged {}

    /** The change is live and stored as {@code version}; {@code reloadId} is its reload record. */
    record Committed(long version, String reloadId) implements Accepted {
        @Override
        public String describe() {
            return "committed as version " + version;
        }
    }

    /** The change went into transaction {@code transactionId}; the running configuration is {@code version}. */
    record Staged(String transactionId, long version) implements Accepted {
        @Override
        public String describe() {
            return "staged in transaction " + transactionId;
        }
    }

    /**
     * The change was made against {@code given} but the configuration is at {@code current}: another change won.
     * {@code transaction}: the given version is a transaction's (which is now outdated).
     */
    record Conflict(long current, long given, boolean transaction) implements CommitResult {
        @Override
        public String describe() {
            return transaction
                    ? "version mismatch: version mismatch, transaction version: " + given + ", configured version: "
                            + current
                    : "version mismatch: version in configuration file is " + current + ", given version is " + given;
        }
    }

    /** The candidate configuration has errors: every one of them, with file:line:column. */
    record Invalid(List<Diagnostic> diagnostics) implements CommitResult {
        public Invalid {
            diagnostics = List.copyOf(diagnostics);
        }

        @Override
        public String describe() {
            return "validation error: " + listing();
        }

        /** The diagnostics, one formatted per line. */
        public String listing() {
            StringBuilder out = new StringBuilder();
            for (Diagnostic d : diagnostics) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(d.format());
            }
            return out.isEmpty() ? "invalid configuration" : out.toString();
        }
    }

    /** The edit cannot be made to the document (missing object, already exists, index out of range, …). */
    record EditRefused(EditException error) implements CommitResult {
        @Override
        public String describe() {
            return error.getMessage();
        }
    }

    /** The data plane refused the valid configuration (a bind that cannot open, a file it cannot read). */
    record ApplyFailed(String reason) implements CommitResult {
        @Override
        public String describe() {
            return "apply failed: " + reason + "; nothing was changed";
        }
    }

    /** The configuration or transaction file could not be written (the running configuration was restored). */
    record StoreFailed(String message) implements CommitResult {
        @Override
        public String describe() {
            return message;
        }
    }

    /**
     * The {@link CommitGate} refused the change (after it was applied, which was rolled back): the API answers
     * {@code status} with {@code message}.
     */
    record Refused(int status, String message) implements CommitResult {
        @Override
        public String describe() {
            return message;
        }
    }

    /**
     * The transaction named does not exist, or is no longer in progress ({@code status}, null when it does not
     * exist). {@code commit}: it was asked to commit (else to stage a change).
     */
    record TransactionUnusable(String transactionId, Transaction.Status status, boolean commit)
            implements CommitResult {
        @Override
        public String describe() {
            if (status == null) {
                return commit ? "transaction " + transactionId + " does not exist"
                        : "transaction does not exist: " + transactionId;
            }
            return commit ? "transaction " + transactionId + " is " + status.wire() + " and cannot be committed"
                    : "transaction " + transactionId + " is " + status.wire() + ": start a new transaction";
        }
    }
}
