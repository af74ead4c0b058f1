#!/usr/bin/env bash
# Runs squawk (pip install squawk-cli) over the online-lint fixtures of
# tests/fixtures/online/: for each rule, the rules squawk raises on the unsafe
# migration and on the safe form. Our own verdicts on the same files are
# asserted by schema-core/tests/online_lints.rs. Usage: scripts/compare_squawk.sh [pg-version]
set -euo pipefail
cd "$(dirname "$0")/../tests/fixtures/online"
pg="${1:-13}"
command -v squawk >/dev/null || { echo "squawk not found: pip install squawk-cli"; exit 1; }
echo "squawk $(squawk --version | awk '{print $2}'), --pg-version $pg --assume-in-transaction"
rules() {
  { squawk --pg-version "$pg" --assume-in-transaction --reporter gcc "$@" 2>&1 || true; } \
    | sed -n 's/.*: \(warning\|error\): \([a-z-]*\).*/\2/p' | sort -u | tr '\n' ' '
}
for d in */; do
  d="${d%/}"
  unsafe="$(cd "$d" && rules unsafe/up.sql)"
  safe="$(cd "$d" && for f in safe/*/up.sql; do rules "$f"; done | tr ' ' '\n' | sort -u | tr '\n' ' ')"
  printf '%s\n  unsafe: %s\n  safe:   %s\n' "$d" "${unsafe:-(none)}" "${safe:-(none)}"
done
