package org.cnn4j.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Coarse data parallelism (over the images of a batch, or the columns of a large GEMM) on a persistent pool of daemon
 * threads. {@link #forRange} cuts [0, n) into at most {@link #threads()} contiguous chunks; the calling thread runs the
 * first chunk itself and the pool's {@code threads() - 1} workers run the others. A call made from inside a chunk (on
 * a worker or on the calling thread) runs serially on its own thread, so nesting can neither deadlock nor
 * oversubscribe the CPU; so does a call made while another thread's call has the workers.
 *
 * <p>The thread count defaults to the system property {@code cnn4j.threads}, else to the number of processors. Idle
 * workers, and a caller waiting for a worker, spin for {@code cnn4j.spin} nanoseconds (default 20,000) before they
 * park; 0 parks at once.
 */
public final class Parallel {
    /** The work of one chunk: indices [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Elements per chunk at least for cheap, memory-bound work (element-wise functions, pooling, batch norm): with
     * less, handing the chunk to another thread costs more than it saves. Used as a grain, scaled by the elements
     * per index.
     */
    public static final int MIN_ELEMENTS = 1 << 16;

    /** True on a thread that is running a chunk of some forRange call. */
    private static final ThreadLocal<Boolean> IN_CHUNK = ThreadLocal.withInitial(() -> false);
    private static final AtomicInteger WORKER_IDS = new AtomicInteger();
    /** How long an idle worker, or a caller waiting for one, spins before it parks (see Pool). */
    private static final long SPIN_NANOS = Long.getLong("cnn4j.spin", 20_000);
    /** A parked caller looks at its worker this often, in case the worker died (a wake-up does not need it). */
    private static final long PARK_CHECK_NANOS = 100_000_000L;

    private static volatile Pool pool = new Pool(Integer.getInteger("cnn4j.threads",
            Runtime.getRuntime().availableProcessors()));

    private Parallel() {
    }

    /** Number of threads a forRange call may use, the caller included. */
    public static int threads() {
        return pool.threads;
    }

    /** Replaces the pool; chunks already handed to the old pool still finish. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, not " + n);
        }
        Pool old = pool;
        if (old.threads != n) {
            pool = new Pool(n);
            old.shutdown();
        }
    }

    /**
     * Runs body over [0, n) in contiguous chunks and returns when all are done. If chunks throw, the first exception
     * (in chunk order) is rethrown after every chunk has finished, with the others attached as suppressed.
     */
    public static void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Like {@link #forRange(int, RangeBody)}, with at least {@code grain} indices per chunk (so fewer chunks, or
     * one): for cheap work per index, such as an element-wise function, where handing a small chunk to another
     * thread costs more than it saves.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        Pool p = pool;
        int chunks = Math.min(p.threads, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1 || IN_CHUNK.get() || !p.run(n, chunks, body)) {
            body.run(0, n);
        }
    }

    private static int bound(int n, int chunks, int t) {
        return (int) ((long) n * t / chunks);
    }

    /**
     * first, with next (if any) attached as suppressed; next if there is no first. Compiled code may throw one shared
     * exception object from several chunks, and an exception cannot suppress itself.
     */
    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * The threads - 1 workers, each with a slot for one chunk. One call at a time has them (a concurrent call runs on
     * its own thread). A worker that finds its slot empty, and a caller waiting for a worker, spin for up to
     * {@link #SPIN_NANOS} before they park: handing a chunk to a parked thread and being woken when it is done cost
     * about 20 us per call here, and a training step makes one or two hundred calls.
     */
    private static final class Pool {
        final int threads;
        private final Worker[] workers;
        private final AtomicBoolean busy = new AtomicBoolean();
        /** The thread in {@link #run}, and whether it is parked waiting for a worker. */
        private volatile Thread caller;
        private volatile boolean callerParked;
        private volatile boolean closing;

        Pool(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, not " + threads);
            }
            this.threads = threads;
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this);
                workers[i].start();
            }
        }

        /**
         * Runs body on chunks [0, chunks) of [0, n), the first on the calling thread, and returns true; or returns
         * false at once, running nothing, if another call has the workers. Rethrows as {@link Parallel#forRange}.
         */
        boolean run(int n, int chunks, RangeBody body) {
            if (!busy.compareAndSet(false, true)) {
                return false;
            }
            try {
                caller = Thread.currentThread();
                for (int t = 1; t < chunks; t++) {
                    workers[t - 1].hand(body, bound(n, chunks, t), bound(n, chunks, t + 1));
                }
                Throwable failure = null;
                IN_CHUNK.set(true);
                try {
                    body.run(0, bound(n, chunks, 1));
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    IN_CHUNK.set(false);
                }
                for (int t = 1; t < chunks; t++) {
                    failure = add(failure, await(workers[t - 1]));
                }
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                return true;
            } finally {
                busy.set(false);
                if (closing && busy.compareAndSet(false, true)) { // shutdown came while this call had the workers
                    stopWorkers();
                }
            }
        }

        /**
         * Waits until w has run its chunk; returns what the chunk threw, or null. An interrupt does not cut the wait
         * short (the chunk is still running); it is kept for the caller.
         */
        private Throwable await(Worker w) {
            long since = System.nanoTime();
            boolean interrupted = false;
            while (w.pending) {
                if (System.nanoTime() - since < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (!w.isAlive()) { // died outside its chunk (say, out of memory while waiting)
                    w.pending = false;
                    return new IllegalStateException(w.getName() + " stopped before its chunk was done");
                }
                interrupted |= Thread.interrupted(); // park returns at once while the flag is set
                callerParked = true;
                if (w.pending) {
                    LockSupport.parkNanos(this, PARK_CHECK_NANOS);
                }
                callerParked = false;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable failure = w.failure;
            w.failure = null;
            return failure;
        }

        /** Called by a worker that has just finished its chunk. */
        void finished() {
            if (callerParked) {
                LockSupport.unpark(caller);
            }
        }

        /** Stops the workers once no call has them; calls that come later run on their own threads. */
        void shutdown() {
            closing = true;
            if (busy.compareAndSet(false, true)) {
                stopWorkers();
            }
        }

        private void stopWorkers() {
            for (Worker w : workers) {
                w.halt();
            }
        }
    }

    /** A pool thread: runs the chunk handed to it, then waits for the next one. */
    private static final class Worker extends Thread {
        private final Pool pool;
        /** A chunk is handed over and not finished yet; its fields are published by this volatile flag. */
        private volatile boolean pending;
        private volatile boolean parked;
        private volatile boolean stopped;
        private RangeBody body;
        private int from;
        private int to;
        private Throwable failure;

        Worker(Pool pool) {
            super("cnn4j-worker-" + WORKER_IDS.incrementAndGet());
            this.pool = pool;
            setDaemon(true);
        }

        void hand(RangeBody body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
            pending = true;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        void halt() {
            stopped = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            IN_CHUNK.set(true);
            while (true) {
                long since = System.nanoTime();
                while (!pending && !stopped) {
                    if (System.nanoTime() - since < SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (!pending && !stopped) {
                        Thread.interrupted(); // an interrupt would keep park from waiting
                        LockSupport.park(this);
                    }
                    parked = false;
                }
                if (!pending) {
                    return; // stopped, nothing handed over
                }
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    failure = e;
                }
                Thread.interrupted(); // a chunk's interrupt is not the next chunk's, and park would not wait
                body = null;
                pending = false;
                pool.finished();
            }
        }
    }
}
