package io.flagman.cluster;

/** Told about every change of a watched channel pointer (and the current one when a watch (re)starts). */
@FunctionalInterface
public interface ChannelListener {

    /**
     * The channel's pointer changed.
     *
     * @param pointer the pointer as it is now, with its {@code modRevision}; null when the channel was deleted
     * @param revision the etcd revision of the change (the pointer's mod revision, or the deletion's)
     */
    void changed(ChannelPointer pointer, long revision);
}
