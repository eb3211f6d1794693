package io.flagman.control.service;

import io.flagman.control.service.ConfigService.Snapshot;

/**
 * What happens to a hand edit of the configuration file (seen by {@link ConfigService#pollFile()}). The default,
 * {@link #COMMIT}, commits a valid edit as the next version (through the {@link CommitGate}) and refuses an
 * invalid one. A cluster node takes edits over instead ({@link Outcome#HANDED_OVER}): it keeps them as a rejected
 * draft and puts the file back on its channel's version, typically with {@link ConfigService#applyExternal}.
 */
@FunctionalInterface
public interface HandEditPolicy {

    /** Today's behaviour: a hand edit is committed as the next version. */
    HandEditPolicy COMMIT = (current, editedText) -> Outcome.COMMIT;

    /**
     * Called, without the service's lock, once per distinct content of the file that differs from what the
     * service wrote; a content handed over is not offered again until the file changes.
     *
     * @param current the configuration in force
     * @param editedText the file's text as edited
     */
    Outcome handEdit(Snapshot current, String editedText);

    /** What the policy did with the edit. */
    enum Outcome {
        /** The service commits it as the next version (validate, apply, gate, store). */
        COMMIT,
        /** The policy took it over; the service changes nothing. */
        HANDED_OVER
    }
}
