package io.flagman.control.service;

import io.flagman.control.service.ConfigService.Snapshot;
import io.flagman.control.store.VersionLine;

/**
 * Asked for every commit that comes from the API or a hand edit, after the candidate has been validated and
 * applied and before the file is written: it admits the change under a version number, or refuses it. A refusal
 * rolls the apply back exactly like a store failure (the running configuration, the file and the version stay as
 * they were) and the API answers the refusal's status with its message. A cluster node plugs in here to publish
 * the change to its channel (or to refuse writes on a channel that takes none); without a gate every change is
 * admitted under the version the pipeline chose ({@link #NONE}).
 *
 * <p>Versions that arrive from elsewhere ({@link ConfigService#applyExternal}) do not pass the gate.
 */
@FunctionalInterface
public interface CommitGate {

    /** Admits every change under the version the pipeline chose (the version line of {@code nextText}). */
    CommitGate NONE = (current, nextText, author, message) -> new Admit(VersionLine.read(nextText));

    /**
     * Decides on one change. Called with the service's lock held, so at most one decision is pending; it must
     * return within a bounded time.
     *
     * @param current the configuration in force (still the running one until this returns)
     * @param nextText the candidate text, already applied, with the version line the pipeline chose
     * @param author the authenticated API user, or {@code hand-edit} for a change made to the file by hand
     * @param message the change's description ({@code X-Flagman-Message}), or null
     */
    Decision admit(Snapshot current, String nextText, String author, String message);

    /** The gate's answer. */
    sealed interface Decision permits Admit, Refuse {}

    /** Write the change as {@code version} (the number that goes into the file's version line). */
    record Admit(long version) implements Decision {
        public Admit {
            if (version <= 0) {
                throw new IllegalArgumentException("an admitted version is positive: " + version);
            }
        }
    }

    /** Refuse the change: nothing is changed, and the API answers {@code status} (409, 503 …) with {@code message}. */
    record Refuse(int status, String message) implements Decision {
        public Refuse {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a refusal is an HTTP error status: " + status);
            }
        }
    }
}
