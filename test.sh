#!/usr/bin/env bash
# Runs the whole test suite (all modules) on JDK 25: the README's test command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/jdk.sh
. "$root/scripts/jdk.sh"
cnn4j_select_jdk
"$root/scripts/test-deps.sh" --check
cd "$root"
exec mvn -B -ntp verify "$@"
