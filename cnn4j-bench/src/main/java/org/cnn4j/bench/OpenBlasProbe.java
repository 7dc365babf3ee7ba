package org.cnn4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * For {@link CompareBuilds}: OpenBLAS's {@code cblas_sgemm} on one thread, called through the Foreign Function API on
 * the same operands and shapes as {@link GemmProbe}, so that cnn4j and OpenBLAS are timed in one process, round
 * after round, under the same load (CompareBuilds' build name {@code openblas}). This is benchmark tooling only: the
 * library itself calls no native code. Needs Debian's libopenblas0-pthread; on a CPU newer than the OpenBLAS build,
 * set OPENBLAS_CORETYPE (e.g. SkylakeX for AVX-512), else it runs its generic kernel: {@link #core()} tells which.
 */
public final class OpenBlasProbe implements Function<String, double[]> {
    /** The shared library's Debian name (libopenblas0-pthread). */
    static final String LIBRARY = "libopenblas.so.0";
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final MethodHandle sgemm;
    private final String core;
    /** Per shape: A, B and C in native memory (the same values as GemmProbe's), copied once. */
    private final Map<String, MemorySegment[]> operands = new HashMap<>();

    public OpenBlasProbe() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup openblas;
        try {
            openblas = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + LIBRARY + " (apt install libopenblas0-pthread)", e);
        }
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        sgemm = linker.downcallHandle(function(openblas, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i));
        try {
            linker.downcallHandle(function(openblas, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(i))
                    .invokeExact(1);
            MemorySegment name = (MemorySegment) linker.downcallHandle(
                    function(openblas, "openblas_get_corename"), FunctionDescriptor.of(p)).invokeExact();
            core = name.reinterpret(64).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("OpenBLAS call failed: " + e, e);
        }
    }

    private static MemorySegment function(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException(LIBRARY + " has no function " + name));
    }

    /** The kernel family OpenBLAS chose for this CPU, e.g. "SkylakeX" or, for its generic fallback, "Prescott". */
    public String core() {
        return core;
    }

    @Override
    public double[] apply(String item) {
        GemmShape g = GemmShape.parse(item);
        MemorySegment[] abc = operands.computeIfAbsent(item, s -> {
            float[][] arrays = g.operands();
            MemorySegment[] segments = new MemorySegment[3];
            for (int j = 0; j < 3; j++) {
                segments[j] = Arena.global().allocate(ValueLayout.JAVA_FLOAT, arrays[j].length);
                MemorySegment.copy(arrays[j], 0, segments[j], ValueLayout.JAVA_FLOAT, 0, arrays[j].length);
            }
            return segments;
        });
        MemorySegment a = abc[0];
        MemorySegment b = abc[1];
        MemorySegment c = abc[2];
        long calls = g.calls();
        long t0 = CPU.getCurrentThreadCpuTime();
        try {
            for (long n = 0; n < calls; n++) {
                sgemm.invokeExact(ROW_MAJOR, g.transA() ? TRANS : NO_TRANS, g.transB() ? TRANS : NO_TRANS, g.m(), g.n(),
                        g.k(), 1f, a, g.lda(), b, g.ldb(), 0f, c, g.n());
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed: " + e, e);
        }
        long t1 = CPU.getCurrentThreadCpuTime();
        return new double[] {(t1 - t0) / (double) calls, 0, (double) g.m() * g.n() * g.k()};
    }
}
