package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 3's zero-downtime test: several clients (keep-alive and one connection per request) under continuous
 * load while 200+ configurations are applied (backends, servers, ACLs, rules and binds added and removed).
 * Every request must succeed, and come from the backend that the generation it was stamped with routes to,
 * that generation lying between the ones in force when the request was sent and when its answer arrived.
 */
class ZeroDowntimeTest {
    private static final int GENERATIONS = 220;
    private static final int BACKENDS = 4;

    private static String config(int gen, FakeBackend[] upstreams) {
        int live = gen % BACKENDS;
        int other = (gen + 1) % BACKENDS;
        StringBuilder b = new StringBuilder("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                """);
        b.append("  acl blocked_").append(gen).append(" path_beg /blocked-").append(gen).append('\n');
        b.append("  http-request deny if blocked_").append(gen).append('\n');
        b.append("  http-request set-header X-Gen ").append(gen).append('\n');
        if (gen % 2 == 0) {
            b.append("  http-request set-header X-Even yes\n");
        }
        b.append("  use_backend be_").append(other).append(" if { path_beg /never-").append(gen).append(" }\n");
        b.append("  default_backend be_").append(live).append('\n');
        if (gen % 3 == 0) {
            b.append("frontend extra\n  bind 127.0.0.1:2\n  http-request set-header X-Gen ").append(gen)
                    .append("\n  default_backend be_").append(live).append('\n');
        }
        for (int i : new int[] {live, other}) {
            b.append("backend be_").append(i).append('\n');
            b.append("  server s1 ").append(upstreams[i].address()).append('\n');
            if ((gen + i) % 2 == 0) {
                b.append("  server s2 ").append(upstreams[i].address()).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    @Timeout(90)
    void appliesUnderLoadWithoutAFailedOrMisroutedRequest() throws Exception {
        FakeBackend[] upstreams = new FakeBackend[BACKENDS];
        for (int i = 0; i < BACKENDS; i++) {
            FakeBackend f = new FakeBackend("b" + i);
            f.responder = req -> FakeBackend.ok(f.name, f.name + ":" + req.headers().get("X-Gen"));
            upstreams[i] = f;
        }
        AtomicInteger applied = new AtomicInteger(0);
        AtomicInteger applying = new AtomicInteger(0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ProxyFixture proxy = new ProxyFixture()) {
            proxy.apply(config(0, upstreams));
            InetSocketAddress addr = proxy.address("fe");
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean keepAlive = t % 2 == 0;
                clients.add(pool.submit(() -> {
                    RawHttp c = null;
                    int n = 0;
                    while (!stop.get() && n < 1_000_000) {
                        n++;
                        int before = applied.get();
                        try {
                            if (c == null) {
                                c = new RawHttp(addr);
                            }
                            RawHttp.Response r = c.get("/r" + n, "zd.test");
                            int after = applying.get();
                            check(r, before, after, failures);
                            ok.incrementAndGet();
                            if (!keepAlive) {
                                c.close();
                                c = null;
                            }
                        } catch (Exception e) {
                            failures.add("request " + n + " (keepAlive=" + keepAlive + "): " + e);
                            c = null;
                        }
                    }
                    if (c != null) {
                        c.close();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            for (int gen = 1; gen <= GENERATIONS && System.nanoTime() < deadline; gen++) {
                applying.set(gen);
                proxy.apply(config(gen, upstreams));
                applied.set(gen);
                if (gen % 3 == 0) {
                    // the extra frontend's bind exists in this generation; prove it serves
                    try (RawHttp c = new RawHttp(proxy.address("extra"))) {
                        check(c.get("/extra", "zd.test"), gen, gen, failures);
                    }
                } else {
                    assertThat(proxy.dataPlane.boundAddresses("extra")).isEmpty();
                }
                long floor = ok.get();
                long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (ok.get() < floor + 4 && System.nanoTime() < wait && failures.isEmpty()) {
                    Thread.onSpinWait();
                }
            }
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(failures).isEmpty();
            assertThat(applied.get()).isGreaterThanOrEqualTo(200);
            assertThat(ok.get()).isGreaterThan(800);
        } finally {
            pool.shutdownNow();
            for (FakeBackend f : upstreams) {
                f.close();
            }
        }
    }

    private static void check(RawHttp.Response r, int before, int after, ConcurrentLinkedQueue<String> failures) {
        if (r.status() != 200) {
            failures.add("status " + r.status() + " body " + r.body());
            return;
        }
        String[] parts = r.body().split(":");
        int gen = Integer.parseInt(parts[1]);
        if (gen < before || gen > after) {
            failures.add("generation " + gen + " outside [" + before + ", " + after + "]");
        }
        if (!parts[0].equals("b" + (gen % BACKENDS))) {
            failures.add("generation " + gen + " served by " + parts[0]);
        }
    }
}
