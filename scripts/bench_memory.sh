#!/usr/bin/env bash
# Memory benchmark of the `schema` CLI (issue 16: peak memory <= 10x the input size,
# 100,000 tables analysed in <= 3 s in release).
#
# Measures the peak RSS and wall time (`/usr/bin/time -f '%e %M'`) of the release CLI on
# generated projects, and reports peak RSS in bytes per input byte:
#   check  `schema check --online-lints off`        (parse schema.sql + every migration,
#                                                     replay, compare)
#          input = schema.sql + every migrations/*/{up,down}.sql
#   diff   `schema diff --from schema.sql --to schema.sql`  (parse + model only, no replay)
#          input = 2 x schema.sql (the file is read and parsed twice)
#
# Cases (default: all, in this order):
#   1, 10, 50  synth_project.py with N tables (N tables x 12 columns, 2N migrations) so that
#              schema.sql + migrations is about 1 MB, 10 MB, 50 MB (~950 bytes a table)
#   10k        synth_project.py with 10,000 tables (20,000 migrations, ~9.5 MB)
#   100k       schema-only: 100,000 of the generator's final tables in schema.sql, and one
#              baseline migration whose up.sql is schema.sql (check needs a history that
#              matches; 200,000 migration dirs would be ~95 MB)
#
# Usage:
#   cargo build --release -p schema-cli
#   scripts/bench_memory.sh                 # every case (the 50 MB and 100k cases take minutes)
#   scripts/bench_memory.sh 1 10            # a subset
# Env: SCHEMA_BIN (default target/release/schema), SYNTH (default
#      /work/shared/tools/synth_project.py), BENCH_DIR (default: a fresh mktemp dir, removed
#      at the end unless KEEP=1), MEM_LIMIT_GB (default 12: `ulimit -v`, an allocation past it
#      is reported as OOM), TIME_LIMIT (default 600 s: `timeout`, reported as TIMEOUT).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${SCHEMA_BIN:-$ROOT/target/release/schema}"
SYNTH="${SYNTH:-/work/shared/tools/synth_project.py}"
MEM_LIMIT_GB="${MEM_LIMIT_GB:-12}"
TIME_LIMIT="${TIME_LIMIT:-600}"
KEEP="${KEEP:-0}"

[[ -x "$BIN" ]] || { echo "no $BIN: cargo build --release -p schema-cli" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }

if [[ -n "${BENCH_DIR:-}" ]]; then
    WORK="$BENCH_DIR"; mkdir -p "$WORK"
else
    WORK="$(mktemp -d /tmp/bench_memory.XXXXXX)"
fi
cleanup() { [[ "$KEEP" == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

CASES=("$@")
[[ ${#CASES[@]} -gt 0 ]] || CASES=(1 10 50 10k 100k)

# Bytes of schema.sql plus every migration's SQL files.
input_bytes() {
    local dir="$1" s m
    s=$(stat -c %s "$dir/schema.sql")
    m=$(find "$dir/migrations" -name '*.sql' -printf '%s\n' | awk '{t += $1} END {print t + 0}')
    echo $((s + m))
}

# The generator's final tables (synth_project.py's table(i, True) and both indexes), with
# no per-table migrations: schema.sql and a single baseline migration creating the same.
schema_only() {
    local dir="$1" n="$2"
    python3 - "$dir" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
types = ["integer", "bigint", "text", "varchar(120)", "boolean", "timestamptz", "numeric(12,2)", "jsonb", "date", "uuid"]
def cols(i):
    return [f"c{j} {types[(i + j) % len(types)]}" + (" NOT NULL" if j % 3 == 0 else "") for j in range(10)]
def table(i):
    ref = f",\n    parent_id bigint REFERENCES t{i-1} (id)" if i else ""
    body = ",\n    ".join(["id bigint PRIMARY KEY"] + cols(i)) + ref + ",\n    note text DEFAULT 'n/a'"
    return (f"CREATE TABLE t{i} (\n    {body}\n);\n" f"CREATE INDEX t{i}_c1 ON t{i} (c1);\n"
            f"CREATE INDEX t{i}_note ON t{i} (note) WHERE note IS NOT NULL;\n")
text = "\n".join(table(i) for i in range(n))
m = os.path.join(d, "migrations", "20200101000000_baseline")
os.makedirs(m, exist_ok=True)
open(os.path.join(d, "schema.sql"), "w").write(text)
open(os.path.join(m, "up.sql"), "w").write(text)
open(os.path.join(m, "down.sql"), "w").write("".join(f"DROP TABLE t{i};\n" for i in reversed(range(n))))
PY
}

# measure LABEL CMD INPUT_BYTES DIR ARGS...: one row of the table.
measure() {
    local label="$1" cmd="$2" bytes="$3" dir="$4"; shift 4
    local out="$WORK/time.out" err="$WORK/stderr.out" rc=0 secs kb rss ratio note=""
    (
        cd "$dir"
        ulimit -v $((MEM_LIMIT_GB * 1024 * 1024))
        exec /usr/bin/time -f '%e %M' -o "$out" timeout "$TIME_LIMIT" "$BIN" "$@" >/dev/null 2>"$err"
    ) || rc=$?
    read -r secs kb < <(grep -sE '^[0-9.]+ [0-9]+$' "$out" | tail -1) || true
    rss=$(( ${kb:-0} * 1024 ))
    if [[ $rc -eq 124 ]]; then note="TIMEOUT (>${TIME_LIMIT}s)"
    elif grep -q 'memory allocation of' "$err"; then note="OOM (>${MEM_LIMIT_GB} GB virtual)"
    elif [[ $rc -ne 0 ]]; then note="FAILED rc=$rc: $(tail -c 200 "$err" | tr '\n' ' ')"
    fi
    ratio=$(awk -v r="$rss" -v b="$bytes" 'BEGIN {printf "%.1f", r / b}')
    printf '%-6s %-6s %12s %9s %14s %9s  %s\n' "$label" "$cmd" "$bytes" "${secs:-?}" "$rss" "$ratio" "$note"
}

echo "# $("$BIN" --version 2>/dev/null || echo schema) at $(git -C "$ROOT" log -1 --format=%h 2>/dev/null || echo '?')$( [[ -n "$(git -C "$ROOT" status --short 2>/dev/null | head -1)" ]] && echo ' (dirty tree)'), $(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-6s %12s %9s %14s %9s  %s\n' case cmd input_bytes seconds peak_rss_bytes rss/input note

for c in "${CASES[@]}"; do
    dir="$WORK/case_$c"
    rm -rf "$dir"
    case "$c" in
        1) python3 "$SYNTH" "$dir" 1070 ;;
        10) python3 "$SYNTH" "$dir" 10540 ;;
        50) python3 "$SYNTH" "$dir" 52000 ;;
        10k) python3 "$SYNTH" "$dir" 10000 ;;
        100k) mkdir -p "$dir"; schema_only "$dir" 100000 ;;
        *) echo "unknown case '$c' (cases: 1 10 50 10k 100k)" >&2; exit 2 ;;
    esac
    (cd "$dir" && "$BIN" sum >/dev/null)
    schema_bytes=$(stat -c %s "$dir/schema.sql")
    measure "$c" check "$(input_bytes "$dir")" "$dir" check --online-lints off
    measure "$c" diff $((2 * schema_bytes)) "$dir" diff --from schema.sql --to schema.sql
    rm -rf "$dir"
done
