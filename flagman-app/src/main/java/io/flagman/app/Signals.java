package io.flagman.app;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals {@code flagman run} answers, in every run mode: SIGHUP re-reads the configuration and the files it
 * reads (never stops the process); SIGTERM, SIGINT and SIGUSR1 start the soft stop ({@link #awaitStop} returns);
 * a second stop signal during the soft stop is the hard stop. Handlers run on the JVM's signal thread and only
 * hand over.
 */
final class Signals {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile String stopSignal;

    /**
     * @param reload what SIGHUP does (hands over to the watcher's thread)
     * @param hardStop what a second stop signal does
     */
    static Signals install(Runnable reload, Runnable hardStop, PrintStream err) {
        Signals s = new Signals();
        s.handle("HUP", reload, err);
        for (String name : List.of("TERM", "INT", "USR1")) {
            s.handle(name, () -> s.stop(name, hardStop, err), err);
        }
        return s;
    }

    private void stop(String name, Runnable hardStop, PrintStream err) {
        if (stopping.compareAndSet(false, true)) {
            stopSignal = "SIG" + name;
            stop.countDown();
        } else {
            err.println("flagman: SIG" + name + " during the soft stop: hard stop, closing every connection now");
            hardStop.run();
        }
    }

    private void handle(String name, Runnable action, PrintStream err) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), sig -> action.run());
            if (previous == SignalHandler.SIG_IGN) {
                // The JVM keeps a signal the parent process ignored (nohup, a background job) ignored.
                err.println("flagman: SIG" + name + " is ignored (inherited from the parent process); it does"
                        + " nothing here" + (name.equals("HUP") ? ", the file watch still applies changes" : ""));
            }
        } catch (IllegalArgumentException e) {
            err.println("flagman: cannot handle SIG" + name + " here (" + e.getMessage() + ")");
        }
    }

    /** Blocks until a stop signal arrives; returns its name ({@code SIGTERM}, …). */
    String awaitStop() throws InterruptedException {
        stop.await();
        return stopSignal;
    }
}
