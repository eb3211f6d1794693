package io.flagman.proxy.balance;

/** A mutable candidate for balancer tests. */
final class TestServer implements Candidate {
    private final String name;
    private final boolean backup;
    volatile int weight;
    volatile boolean usable = true;
    volatile int connections;

    TestServer(String name, int weight, boolean backup) {
        this.name = name;
        this.weight = weight;
        this.backup = backup;
    }

    static TestServer of(String name, int weight) {
        return new TestServer(name, weight, false);
    }

    static TestServer backup(String name) {
        return new TestServer(name, 1, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean backup() {
        return backup;
    }

    @Override
    public boolean usable() {
        return usable;
    }

    @Override
    public int activeConnections() {
        return connections;
    }

    @Override
    public String toString() {
        return name;
    }
}
