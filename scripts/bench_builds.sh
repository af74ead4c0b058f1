#!/usr/bin/env bash
# Build-time benchmarks of the schema macros (dev profile, scratch crates).
#
#   scripts/bench_builds.sh [setup|derive|codegen|synth|synth_derive|macro_time|noop|cold_full|timings|all]   (default: all)
#
# Env: BENCH_DIR (default /tmp/schbench), RUNS (default 5), COLD_RUNS (default 3),
#      TABLES (default 200).
# Needs hyperfine. Scratch crates depend on `sqlschema = { path = <this workspace> }`
# and share one target dir ($BENCH_DIR/target) so dependencies are prebuilt.
#
# (a) derive:  d_all (200 × #[derive(sqlschema::Schema)]), d_one (1 derive + 199 plain
#              structs), d_none (200 plain structs), d_hand / d_hand_track (no derive, the
#              200 `impl Model`s written out, without / with the derive's include_bytes!):
#              `touch src/main.rs; cargo build`.
#              analysis + 1 derive ≈ d_one - d_hand; per further derive ≈ (d_all - d_one)/199.
#              synth_derive: the same with 200 partial derives over the synthetic project.
# (b) codegen: m200 (`schema!()` over 200 tables) vs h200 (its expansion rendered by
#              schema_core::codegen::expand + prettyplease, pasted as source):
#              incremental (touch), crate-only cold (cargo clean -p), full cold (fresh target).
# (c) synth:   m500 (`schema!(schema=.., migrations=..)` over the synthetic 500-table /
#              1,000-migration project), h500 (its expansion as source), n500 (no macro,
#              no models): incremental. Plus an in-process timing of one uncached expansion
#              in the dev profile (benches/gen_bench_project.rs `time`).
# macro_time:  the macro's own time in rustc for m500 and m200 (SCHEMA_MACRO_TIMINGS=1),
#              with the disk cache off (SCHEMA_NO_CACHE=1: what a cold cache costs) and warm.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
B="${BENCH_DIR:-/tmp/schbench}"
RUNS="${RUNS:-5}"
COLD_RUNS="${COLD_RUNS:-3}"
TABLES="${TABLES:-200}"
export CARGO_TARGET_DIR="$B/target"
mkdir -p "$B"
# The synthetic project has numeric, jsonb and uuid columns.
SYNTH_FEATURES=', features = ["decimal", "json", "uuid"]'

gen() { (cd "$ROOT" && CARGO_TARGET_DIR="$ROOT/target" cargo test -q --bench gen_bench_project -- "$@"); }
# The CLI, built by `setup` into the shared target dir.
cli() { "$CARGO_TARGET_DIR/debug/schema" "$@"; }

# new_crate <name> <main.rs source file> [data dir to copy into the crate]
new_crate() {
    local name=$1 main=$2 data=${3:-} features=${4:-}
    local dir="$B/crates/$name"
    rm -rf "$dir" && mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
sqlschema = { path = "$ROOT"$features }

[workspace]
EOF
    cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
    cp "$main" "$dir/src/main.rs"
    if [ -n "$data" ]; then cp -r "$data"/. "$dir/"; fi
}

setup() {
    (cd "$ROOT" && cargo build -q -p schema-cli)
    # 200-table project + structs.
    rm -rf "$B/p$TABLES" && mkdir -p "$B/p$TABLES"
    gen project "$B/p$TABLES" "$TABLES"
    (cd "$B/p$TABLES" && cli sum >/dev/null)
    local data="$B/p$TABLES/data" && mkdir -p "$data"
    cp -r "$B/p$TABLES/schema.sql" "$B/p$TABLES/migrations" "$data/"
    for v in all one none hand hand_track; do
        { echo '#![allow(dead_code)]'; cat "$B/p$TABLES/structs_$v.rs"; echo 'fn main() {}'; } >"$B/main_d_$v.rs"
        new_crate "d_$v" "$B/main_d_$v.rs" "$data"
    done
    printf '#![allow(dead_code)]\nschema::schema!();\nfn main() {}\n' >"$B/main_m200.rs"
    new_crate m200 "$B/main_m200.rs" "$data"
    gen render "$B/crates/m200" schema.sql migrations "$B/h200_expansion.rs"
    { echo '#![allow(dead_code)]'; cat "$B/h200_expansion.rs"; echo 'fn main() {}'; } >"$B/main_h200.rs"
    new_crate h200 "$B/main_h200.rs" "$data"

    # Synthetic 500 tables / 1,000 migrations.
    if [ ! -f "$B/synth/schema.sql" ]; then
        (cd "$ROOT" && SCHEMA_SYNTH_DUMP="$B/synth" cargo test -q -p schema-core --test perf_debug -- dump_when_asked)
    fi
    (cd "$B/synth" && cli sum >/dev/null)
    local sdata="$B/sdata" && rm -rf "$sdata" && mkdir -p "$sdata/db"
    cp -r "$B/synth/schema.sql" "$B/synth/migrations" "$sdata/db/"
    printf '#![allow(dead_code)]\nschema::schema!(schema = "db/schema.sql", migrations = "db/migrations");\nfn main() {}\n' >"$B/main_m500.rs"
    new_crate m500 "$B/main_m500.rs" "$sdata" "$SYNTH_FEATURES"
    SCHEMA_BENCH_FULL=1 gen render "$B/crates/m500" db/schema.sql db/migrations "$B/h500_expansion.rs"
    { echo '#![allow(dead_code)]'; cat "$B/h500_expansion.rs"; echo 'fn main() {}'; } >"$B/main_h500.rs"
    new_crate h500 "$B/main_h500.rs" "$sdata" "$SYNTH_FEATURES"
    printf '#![allow(dead_code)]\nfn main() {}\n' >"$B/main_n500.rs"
    new_crate n500 "$B/main_n500.rs" "$sdata" "$SYNTH_FEATURES"

    # Prebuild dependencies (and check every crate builds).
    for c in d_all d_one d_none d_hand d_hand_track m200 h200 m500 h500 n500; do
        (cd "$B/crates/$c" && cargo build -q)
    done
}

# incr <export-name> <crate>...: `touch src/main.rs; cargo build` per crate.
incr() {
    local out=$1 && shift
    local cmds=()
    for c in "$@"; do cmds+=(-n "$c" --prepare "touch $B/crates/$c/src/main.rs" "cd $B/crates/$c && cargo build -q"); done
    echo "load: $(cat /proc/loadavg)"
    hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$B/$out.md" "${cmds[@]}"
}

derive() { incr derive d_none d_hand d_hand_track d_one d_all; }

codegen() {
    incr codegen_incr h200 m200
    echo "load: $(cat /proc/loadavg)"
    # Crate-only cold: dependencies stay built in the shared target dir.
    hyperfine --runs "$COLD_RUNS" --export-markdown "$B/codegen_cold_crate.md" \
        -n h200 --prepare "cd $B/crates/h200 && cargo clean -q -p h200" "cd $B/crates/h200 && cargo build -q" \
        -n m200 --prepare "cd $B/crates/m200 && cargo clean -q -p m200" "cd $B/crates/m200 && cargo build -q"
}

cold_full() {
    echo "load: $(cat /proc/loadavg)"
    # Full cold: a fresh target dir, every dependency included.
    hyperfine --runs "$COLD_RUNS" --export-markdown "$B/codegen_cold_full.md" \
        -n h200 --prepare "rm -rf $B/target-cold" "cd $B/crates/h200 && CARGO_TARGET_DIR=$B/target-cold cargo build -q" \
        -n m200 --prepare "rm -rf $B/target-cold" "cd $B/crates/m200 && CARGO_TARGET_DIR=$B/target-cold cargo build -q"
}

synth() {
    SCHEMA_BENCH_FULL=1 gen time "$B/crates/m500" db/schema.sql db/migrations 3
    incr synth_incr n500 h500 m500
}

# 200 partial derives over the synthetic project (schema.sql + 1,000 migrations at the
# crate root, as derives read them): e500_none / e500_one / e500_all.
synth_derive() {
    local sroot="$B/sroot" && rm -rf "$sroot" && mkdir -p "$sroot"
    cp -r "$B/synth/schema.sql" "$B/synth/migrations" "$sroot/"
    local tables
    tables=$(grep -o '^CREATE TABLE [a-z_0-9]*' "$B/synth/schema.sql" | head -200 | cut -d' ' -f3)
    for v in none one all; do
        local f="$B/main_e500_$v.rs" i=0
        echo '#![allow(dead_code)]' >"$f"
        for t in $tables; do
            if [ "$v" = all ] || { [ "$v" = one ] && [ $i = 0 ]; }; then
                printf '#[derive(sqlschema::Schema)]\n#[schema(table = "%s", partial)]\n' "$t" >>"$f"
            fi
            printf 'pub struct R%03d { pub id: i32, pub title: String }\n' "$i" >>"$f"
            i=$((i + 1))
        done
        echo 'fn main() {}' >>"$f"
        new_crate "e500_$v" "$f" "$sroot" "$SYNTH_FEATURES"
        (cd "$B/crates/e500_$v" && cargo build -q)
    done
    incr synth_derive e500_none e500_one e500_all
}

# The macro's own time inside rustc (SCHEMA_MACRO_TIMINGS=1 makes `schema!()` report it),
# per crate: analysed with the disk cache off, then read back from a warm disk cache.
macro_time() {
    echo "load: $(cat /proc/loadavg)"
    for c in m500 m200; do
        for mode in cold warm; do
            local env="SCHEMA_MACRO_TIMINGS=1"
            [ "$mode" = cold ] && env="$env SCHEMA_NO_CACHE=1"
            # Fill the cache once before the warm runs.
            [ "$mode" = warm ] && touch "$B/crates/$c/src/main.rs" && (cd "$B/crates/$c" && cargo build -q 2>/dev/null)
            for _ in $(seq "$RUNS"); do
                touch "$B/crates/$c/src/main.rs"
                (cd "$B/crates/$c" && env $env cargo build -q 2>&1 | grep '^schema!() in' | sed "s/^/$c $mode: /; s/, entry [^,]*//")
            done
        done
    done
}

# No-op rebuild: nothing changed.
noop() {
    echo "load: $(cat /proc/loadavg)"
    hyperfine --warmup 2 --runs "$RUNS" --export-markdown "$B/noop.md" \
        -n m200 "cd $B/crates/m200 && cargo build -q" -n d_all "cd $B/crates/d_all && cargo build -q" \
        -n m500 "cd $B/crates/m500 && cargo build -q" -n h200 "cd $B/crates/h200 && cargo build -q"
}

# One full cold build of m200 with --timings: what each unit (sqlparser, syn,
# schema-core, schema-macros, ...) costs; report in $B/target-timings/cargo-timings/.
timings() {
    rm -rf "$B/target-timings"
    (cd "$B/crates/m200" && CARGO_TARGET_DIR="$B/target-timings" cargo build -q --timings)
    python3 - "$B/target-timings/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys
html = open(sys.argv[1]).read()
data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
for u in sorted(data, key=lambda u: -u["duration"])[:15]:
    print(f'{u["duration"]:7.2f} s  {u["name"]} {u["version"]} {u.get("target", "")}')
PY
}

case "${1:-all}" in
setup) setup ;;
derive) derive ;;
codegen) codegen ;;
synth) synth ;;
cold_full) cold_full ;;
noop) noop ;;
synth_derive) synth_derive ;;
macro_time) macro_time ;;
timings) timings ;;
all) setup && derive && codegen && synth && synth_derive && macro_time && noop && cold_full && timings ;;
*) echo "usage: $0 [setup|derive|codegen|synth|synth_derive|macro_time|noop|cold_full|timings|all]" >&2 && exit 2 ;;
esac
