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
 * a second stop signal during the soft stop is the hard stop. Installed first thing, before anything listens, so
 * a signal during start-up is never the JVM's default (a stop signal then stops right after start-up). Handlers
 * run on the JVM's signal thread and only hand over.
 */
final class Signals {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final PrintStream err;
    private volatile String stopSignal;
    private volatile Runnable reload;
    private volatile Runnable hardStop = () -> { };

    private Signals(PrintStream err) {
        this.err = err;
    }

    static Signals install(PrintStream err) {
        Signals s = new Signals(err);
        s.handle("HUP", s::reload);
        for (String name : List.of("TERM", "INT", "USR1")) {
            s.handle(name, () -> s.stop(name));
        }
        return s;
    }

    /**
     * Start-up is over: from now on SIGHUP runs {@code action} (which hands over to the watcher's thread) and a
     * second stop signal runs {@code hard}.
     */
    void serving(Runnable action, Runnable hard) {
        this.hardStop = hard;
        this.reload = action;
    }

    private void reload() {
        Runnable r = reload;
        if (r == null) {
            err.println("flagman: SIGHUP during start-up: the configuration being started is the one on disk");
        } else {
            r.run();
        }
    }

    private void stop(String name) {
        if (stopping.compareAndSet(false, true)) {
            stopSignal = "SIG" + name;
            stop.countDown();
        } else {
            err.println("flagman: SIG" + name + " during the soft stop: hard stop, closing every connection now");
            hardStop.run();
        }
    }

    private void handle(String name, Runnable action) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), sig -> action.run());
            if (previous == SignalHandler.SIG_IGN && !name.equals("INT")) {
                // The JVM keeps a signal the parent process ignored (nohup) ignored. SIGINT is left unsaid: every
                // background job of a shell script ignores it, and Ctrl-C does not reach those anyway.
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
