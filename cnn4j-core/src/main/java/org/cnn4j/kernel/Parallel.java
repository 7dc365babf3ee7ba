package org.cnn4j.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Coarse data parallelism (over the images of a batch, or the columns of a large GEMM) on a persistent pool of daemon
 * threads. {@link #forRange} cuts [0, n) into at most {@link #threads()} contiguous chunks; the calling thread runs the
 * first chunk itself and the pool's {@code threads() - 1} workers run the others. A call made from inside a chunk (on
 * a worker or on the calling thread) runs serially on its own thread, so nesting can neither deadlock nor
 * oversubscribe the CPU.
 *
 * <p>The thread count defaults to the system property {@code cnn4j.threads}, else to the number of processors.
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
        if (chunks == 1 || IN_CHUNK.get()) {
            body.run(0, n);
            return;
        }
        Future<?>[] futures = new Future<?>[chunks - 1];
        for (int t = 1; t < chunks; t++) {
            int from = bound(n, chunks, t);
            int to = bound(n, chunks, t + 1);
            futures[t - 1] = p.executor.submit(() -> body.run(from, to));
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
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = add(failure, e.getCause());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
    }

    private static int bound(int n, int chunks, int t) {
        return (int) ((long) n * t / chunks);
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static final class Pool {
        final int threads;
        final ThreadPoolExecutor executor;

        Pool(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, not " + threads);
            }
            this.threads = threads;
            int workers = Math.max(1, threads - 1);
            this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> {
                        Thread t = new Thread(() -> {
                            IN_CHUNK.set(true);
                            task.run();
                        }, "cnn4j-worker-" + WORKER_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
        }

        void shutdown() {
            executor.shutdown();
        }
    }
}
