package org.cnn4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ParallelTest {
    private final Thread callerThread = Thread.currentThread();
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void chunksCoverTheRangeExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            assertEquals(threads, Parallel.threads());
            for (int n : new int[] {0, 1, 2, 3, 4, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                AtomicInteger calls = new AtomicInteger();
                Parallel.forRange(n, (from, to) -> {
                    assertTrue(from < to, "chunks are not empty");
                    calls.incrementAndGet();
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + n + " on " + threads + " threads");
                }
                assertEquals(Math.min(n, threads), calls.get());
            }
        }
    }

    @Test
    void callerRunsTheFirstChunkAndWorkersTheRest() {
        Parallel.setThreads(3);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Parallel.forRange(3, (from, to) -> {
            seen.add(Thread.currentThread());
            if (from == 0) {
                assertSame(Thread.currentThread(), callerThread);
            } else {
                assertTrue(Thread.currentThread().isDaemon());
            }
        });
        assertEquals(3, seen.size());
    }

    @Test
    void exceptionsReachTheCallerAfterAllChunksFinish() {
        Parallel.setThreads(4);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forRange(8,
                (from, to) -> {
                    if (from == 2) {
                        throw new IllegalStateException("chunk 2");
                    }
                    if (from == 6) {
                        throw new IllegalStateException("chunk 6");
                    }
                    finished.incrementAndGet();
                }));
        assertEquals("chunk 2", thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals(2, finished.get());
        assertThrows(AssertionError.class, () -> Parallel.forRange(2, (from, to) -> {
            throw new AssertionError("from the caller's chunk");
        }));
    }

    @Test
    void nestedCallsRunSeriallyOnTheirOwnThread() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(4 * 50);
        Parallel.forRange(4, (from, to) -> {
            for (int outer = from; outer < to; outer++) {
                int base = outer * 50;
                Thread self = Thread.currentThread();
                List<int[]> chunks = new ArrayList<>();
                Parallel.forRange(50, (f, t) -> {
                    assertSame(self, Thread.currentThread());
                    chunks.add(new int[] {f, t});
                    for (int i = f; i < t; i++) {
                        hits.incrementAndGet(base + i);
                    }
                });
                assertEquals(1, chunks.size());
            }
        });
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(1, hits.get(i));
        }
    }

    /** Each call on the workers, or on its own thread while another call has them. */
    @Test
    void concurrentCallersEachCoverTheirRangeOnce() throws InterruptedException {
        Parallel.setThreads(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(4 * 1000);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            callers.add(Thread.ofPlatform().start(() -> {
                for (int rep = 0; rep < 10; rep++) {
                    Parallel.forRange(1000, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(base + i);
                        }
                    });
                }
            }));
        }
        for (Thread t : callers) {
            t.join(10_000);
        }
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(10, hits.get(i));
        }
    }

    @Test
    @Timeout(20)
    void workersWakeAfterTheyHaveParked() throws InterruptedException {
        Parallel.setThreads(3);
        for (int rep = 0; rep < 5; rep++) {
            Thread.sleep(5); // far longer than the workers spin before they park
            AtomicIntegerArray hits = new AtomicIntegerArray(3);
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            Parallel.forRange(3, (from, to) -> {
                seen.add(Thread.currentThread());
                hits.incrementAndGet(from);
            });
            assertEquals(3, seen.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    @Timeout(20)
    void aCallInFlightFinishesWhenThePoolIsReplacedAndTheOldWorkersStop() throws InterruptedException {
        Parallel.setThreads(2);
        CountDownLatch started = new CountDownLatch(2);
        Set<Thread> oldWorkers = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        Thread caller = Thread.ofPlatform().start(() -> Parallel.forRange(2, (from, to) -> {
            if (from > 0) {
                oldWorkers.add(Thread.currentThread());
            }
            started.countDown();
            try {
                started.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.incrementAndGet();
        }));
        started.await(); // both chunks running: the call has the old workers
        Parallel.setThreads(3);
        caller.join();
        assertEquals(2, done.get());
        assertEquals(1, oldWorkers.size());
        Thread old = oldWorkers.iterator().next();
        old.join();
        assertFalse(old.isAlive(), "the replaced pool's worker has stopped");
        AtomicIntegerArray hits = new AtomicIntegerArray(3);
        Parallel.forRange(3, (from, to) -> hits.incrementAndGet(from));
        assertEquals(3, hits.get(0) + hits.get(1) + hits.get(2));
    }

    @Test
    @Timeout(20)
    void oneExceptionObjectThrownByTwoChunksIsRethrownOnce() {
        Parallel.setThreads(3);
        IllegalStateException shared = new IllegalStateException("shared");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(3, (from, to) -> {
                    if (from > 0) {
                        throw shared;
                    }
                }));
        assertSame(shared, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        AtomicIntegerArray hits = new AtomicIntegerArray(3);
        Parallel.forRange(3, (from, to) -> hits.incrementAndGet(from));
        assertEquals(3, hits.get(0) + hits.get(1) + hits.get(2), "the workers still take chunks");
    }

    @Test
    @Timeout(20)
    void interruptsStayWithTheirThreadAndChunk() {
        Parallel.setThreads(2);
        Parallel.forRange(2, (from, to) -> Thread.currentThread().interrupt()); // caller's and worker's chunk
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept for it");
        AtomicInteger clean = new AtomicInteger();
        Parallel.forRange(2, (from, to) -> {
            if (from > 0 && !Thread.currentThread().isInterrupted()) {
                clean.incrementAndGet();
            }
        });
        assertEquals(1, clean.get(), "the worker's next chunk does not see the last one's interrupt");
    }

    @Test
    void aCallAllocatesNothing() {
        Parallel.setThreads(2);
        float[] data = new float[2];
        Parallel.RangeBody body = (from, to) -> data[from] += 1f;
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // compiled
            Parallel.forRange(2, body);
        }
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            Parallel.forRange(2, body);
        }
        long perCall = (bean.getCurrentThreadAllocatedBytes() - before) / 10_000;
        assertTrue(perCall < 8, perCall + " bytes per call");
        assertEquals(30_000f, data[1]);
    }

    @Test
    void rejectsThreadCountsBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
