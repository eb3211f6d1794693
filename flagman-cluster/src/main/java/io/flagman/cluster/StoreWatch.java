package io.flagman.cluster;

/** A running watch on the store; {@link #close()} stops it. */
public interface StoreWatch extends AutoCloseable {

    /** The last revision delivered (or read) by this watch. */
    long revision();

    @Override
    void close();
}
