#!/usr/bin/env bash
# The Debian packages the test suite uses besides the JDK and Maven, in one place:
#   libonnx-testdata       ONNX conformance cases (cnn4j-onnx ConformanceTest)
#   python3-onnx           onnx.checker for exported models (cnn4j-onnx ExportTest)
#   dataset-fashion-mnist  the real Fashion-MNIST files (cnn4j-core FashionMnistTest)
#   fontconfig, fonts-dejavu-core  text in the PNG plots, when the machine has no fonts at all
# Usage: scripts/test-deps.sh --check    (lists what is missing and exits 1, or exits 0)
#        scripts/test-deps.sh --install  (installs what is missing with apt-get; needs root)
set -euo pipefail
missing=()
command -v mvn >/dev/null 2>&1 || missing+=(maven)
[ -d /usr/share/libonnx-testdata/data/node ] || missing+=(libonnx-testdata)
/usr/bin/python3 -c 'import onnx' >/dev/null 2>&1 || missing+=(python3-onnx)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
fc-list 2>/dev/null | grep -q . || missing+=(fontconfig fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
case "${1:-}" in
    --install)
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
        ;;
    *)
        echo "the tests need Debian packages that are missing: ${missing[*]}" >&2
        echo "install them with: apt-get install ${missing[*]}   (or run .ci/run, which does)" >&2
        exit 1
        ;;
esac
