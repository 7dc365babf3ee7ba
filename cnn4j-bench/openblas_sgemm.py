#!/usr/bin/python3
"""Single-thread OpenBLAS SGEMM GFLOP/s on the shapes of cnn4j-bench's GemmBench, for docs/BENCHMARKS.md.

Run with Debian's python3 (numpy linked to libopenblas0-pthread), under the same lock as the Java benchmarks:
    flock /tmp/cnn4j-bench.lock /usr/bin/python3 cnn4j-bench/openblas_sgemm.py
On a CPU newer than the OpenBLAS build (it then picks its Prescott kernel, and this script warns) set
OPENBLAS_CORETYPE to the newest kernel the CPU runs, e.g. OPENBLAS_CORETYPE=SkylakeX for AVX-512.
Each figure is the best of many timed rounds of about 50 ms (wall time) on float32 matrices; "NT" means C = A * B^T
with B stored n x k, "TN" C = A^T * B with A stored k x m, as cnn4j's Gemm.sgemm(transA, transB, ...) is called.
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads OpenBLAS
import ctypes
import re
import time

import numpy as np

# Keep in step with GemmBench.SHAPES: "layout:MxNxK".
SHAPES = [
    "NN:1024x1024x1024",
    # seed-cnn, per image (28x28 then 14x14): forward W*col, weight gradient g*col^T, input gradient W^T*g
    "NN:32x784x9", "NN:32x784x288", "NN:64x196x288", "NN:64x196x576",
    "NT:32x288x784", "NT:64x288x196", "NT:64x576x196",
    "TN:288x784x32", "TN:288x196x64", "TN:576x196x64",
    # resnet20, per image (32x32, 16x16, 8x8)
    "NN:16x1024x27", "NN:16x1024x144", "NN:32x256x144", "NN:32x256x288", "NN:64x64x288", "NN:64x64x576",
    "NT:16x144x1024", "NT:32x288x256", "NT:64x576x64",
    "TN:144x1024x16", "TN:288x256x32", "TN:576x64x64",
]


def openblas_core():
    """Which OpenBLAS numpy loaded and which kernel (core type) it picked for this CPU."""
    maps = open("/proc/self/maps").read()
    for lib in sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps))):
        try:
            dll = ctypes.CDLL(lib)
            dll.openblas_get_corename.restype = ctypes.c_char_p
            dll.openblas_get_config.restype = ctypes.c_char_p
            return "%s: %s, core %s, threads %d" % (lib, dll.openblas_get_config().decode(),
                                                   dll.openblas_get_corename().decode(), dll.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return "no OpenBLAS loaded"


def gflops(layout, m, n, k, rounds=30):
    rnd = np.random.default_rng(1)
    a = rnd.random((k, m) if layout[0] == "T" else (m, k), dtype=np.float32) - 0.5
    b = rnd.random((n, k) if layout[1] == "T" else (k, n), dtype=np.float32) - 0.5
    op_a = a.T if layout[0] == "T" else a
    op_b = b.T if layout[1] == "T" else b
    c = np.empty((m, n), dtype=np.float32)
    flop = 2.0 * m * n * k
    reps = max(1, int(1e8 / flop))
    for _ in range(3):
        np.matmul(op_a, op_b, out=c)
    best = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(op_a, op_b, out=c)
        best = max(best, flop * reps / (time.perf_counter() - t0) / 1e9)
    return best


def fallback_warning(core):
    """A warning line when OpenBLAS picked a kernel older than the CPU: Debian's 0.3.21 does not know CPUs newer
    than it (such as family 6 model 207 here), takes its generic Prescott (SSE3) kernel for them and runs 5x slower
    than with the AVX-512 kernel the CPU can run; OPENBLAS_CORETYPE chooses the kernel."""
    flags = set()
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    if "avx512f" in flags and "core Prescott" in core and "OPENBLAS_CORETYPE" not in os.environ:
        return ("# warning: OpenBLAS does not recognise this CPU and took its Prescott kernel; for its best here run"
                " with OPENBLAS_CORETYPE=SkylakeX")
    return None


def main():
    np.matmul(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32))
    core = openblas_core()
    print("#", core)
    warning = fallback_warning(core)
    if warning:
        print(warning)
    print("%-22s %10s" % ("shape", "GFLOP/s"))
    for shape in SHAPES:
        layout, dims = shape.split(":")
        m, n, k = (int(x) for x in dims.split("x"))
        print("%-22s %10.1f" % (shape, gflops(layout, m, n, k)), flush=True)


if __name__ == "__main__":
    main()
