#!/usr/bin/env python3
"""Where inside one JIT-compiled method the time goes: perf's samples matched to C2's machine code.

Temurin prints compiled code as hex without the hsdis disassembler, and perf sees the JIT's code only as symbols.
This script takes both from one run: the hex that -XX:CompileCommand=print wrote for the method's last C2 compile,
disassembled with objdump, and the instruction pointers of perf's samples that fall inside it. It prints each
block of code that holds at least 1% of the method's samples, with its instructions.

Record (one JVM, the method printed and sampled together; -XX:-TieredCompilation leaves one C2 compile to find):

    perf record -D 5000 -e cpu-clock -F 20000 -o perf.data -- \\
      java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions -XX:-TieredCompilation \\
        -XX:CompileCommand=quiet -XX:CompileCommand=print,org.cnn4j.kernel.VectorGemm::rowsKernel \\
        -cp ... HARNESS > print.txt 2>&1

then: python3 cnn4j-bench/perf_asm.py perf.data print.txt [BLOCK_BYTES]
"""
import collections
import re
import subprocess
import sys
import tempfile


def machine_code(print_file):
    """(start address, bytes) of the last C2-compiled (not OSR) method in the -XX:CompileCommand=print output."""
    lines = open(print_file, errors="replace").read().split("\n")
    starts = [i for i, l in enumerate(lines) if re.match(r"Compiled method \(c2\)\s+\d+\s+\d+\s+[^%]*::", l)]
    if not starts:
        sys.exit("perf_asm: no C2-compiled method in " + print_file)
    start, code = None, bytearray()
    for line in lines[starts[-1]:]:
        m = re.match(r"\s*0x([0-9a-f]{16}): ((?:[0-9a-f]{2,8}\s*\|?\s*)+)$", line.rstrip())
        if not m:
            if code and line.startswith("---"):
                break
            continue
        address = int(m.group(1), 16)
        if start is None:
            start = address
        if address != start + len(code):
            break
        code += bytes.fromhex(re.sub(r"[^0-9a-f]", "", m.group(2)))
    return start, bytes(code)


def disassemble(start, code):
    """{address: instruction text} by objdump."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        out = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "--adjust-vma=%#x" % start, f.name],
                             capture_output=True, text=True, check=True).stdout
    instructions = {}
    for line in out.split("\n"):
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].strip().endswith(":"):
            instructions[int(parts[0].strip()[:-1], 16)] = parts[2].strip()
    return instructions


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: perf_asm.py PERF_DATA PRINT_OUTPUT [BLOCK_BYTES]")
    block = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    start, code = machine_code(sys.argv[2])
    instructions = disassemble(start, code)
    ips = subprocess.run(["perf", "script", "-i", sys.argv[1], "-F", "ip"], capture_output=True, text=True,
                         check=True).stdout.split()
    counts = collections.Counter()
    for ip in ips:
        address = int(ip, 16)
        if start <= address < start + len(code):
            counts[(address - start) // block] += 1
    total = sum(counts.values())
    print("%d of %d samples in the method's %d bytes of code at %#x" % (total, len(ips), len(code), start))
    for b in sorted(counts):
        if counts[b] >= 0.01 * total:
            print("\n%5.1f%%  %#x" % (100.0 * counts[b] / total, start + b * block))
            for address in sorted(a for a in instructions if start + b * block <= a < start + (b + 1) * block):
                print("        %#x  %s" % (address, instructions[address]))


if __name__ == "__main__":
    main()
