#!/usr/bin/env bash
# `schema up` on an empty database: every migration one by one against
# `--fresh-database` (the schema the history leaves, created by one script),
# on SQLite (a file) and PostgreSQL, release CLI, wall time of the command.
#
#   scripts/bench_fresh.sh [PROJECT_DIR] [ROUNDS]
#
# PROJECT_DIR (default: `synth_project.py DIR 500`, 500 tables and 1,000 migrations,
# in a temporary directory; SYNTH names the generator, default
# /work/shared/tools/synth_project.py) must hold schema.sql and migrations/ with
# schema.sum. ROUNDS (default 3) alternate the two paths.
# PostgreSQL: SCHEMA_TEST_PG_URL's server (default postgres://postgres@127.0.0.1:5432),
# databases bench_fresh_a/_b are dropped and created each round.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
S="${SCHEMA_BIN:-$ROOT/target/release/schema}"
ROUNDS="${2:-3}"
PG="${SCHEMA_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PG="${PG%/*}"
[[ "$PG" == *://* ]] || PG="postgres://postgres@127.0.0.1:5432"
(cd "$ROOT" && cargo build -q --release -p schema-cli)
if [[ -n "${1:-}" ]]; then
    DIR="$1"
else
    DIR="$(mktemp -d)/synth500"
    python3 "${SYNTH:-/work/shared/tools/synth_project.py}" "$DIR" 500 >/dev/null
    (cd "$DIR" && "$S" sum >/dev/null)
fi
cd "$DIR"
now() { date +%s.%N; }
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; t1=$(now); echo "$t1 - $t0" | bc; }
pg_fresh_dbs() {
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS bench_fresh_a" -qc "CREATE DATABASE bench_fresh_a" \
        -qc "DROP DATABASE IF EXISTS bench_fresh_b" -qc "CREATE DATABASE bench_fresh_b" 2>/dev/null
}
echo "project: $DIR ($(ls migrations | grep -c _) migrations)"
printf '%-8s %-10s %10s %10s %7s\n' round dialect one_by_one fresh ratio
for r in $(seq "$ROUNDS"); do
    rm -f /tmp/bench_fresh_a.db /tmp/bench_fresh_b.db
    slow=$(timed "$S" up --url sqlite:///tmp/bench_fresh_a.db)
    fast=$(timed "$S" up --url sqlite:///tmp/bench_fresh_b.db --fresh-database)
    "$S" verify --url sqlite:///tmp/bench_fresh_b.db >/dev/null 2>&1 || echo "verify failed (sqlite)"
    printf '%-8s %-10s %10.2f %10.2f %7.1f\n' "$r" sqlite "$slow" "$fast" "$(echo "$slow / $fast" | bc -l)"
    if pg_fresh_dbs; then
        fast=$(timed "$S" up --url "$PG/bench_fresh_a" --fresh-database)
        slow=$(timed "$S" up --url "$PG/bench_fresh_b")
        "$S" verify --url "$PG/bench_fresh_a" >/dev/null 2>&1 || echo "verify failed (postgres)"
        printf '%-8s %-10s %10.2f %10.2f %7.1f\n' "$r" postgres "$slow" "$fast" "$(echo "$slow / $fast" | bc -l)"
    fi
done
rm -f /tmp/bench_fresh_a.db /tmp/bench_fresh_b.db
