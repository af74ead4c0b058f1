#!/usr/bin/env bash
# The edit loop of a large project, dev profile: how long `schema!()` takes
# (SCHEMA_MACRO_TIMINGS) and how long the whole `cargo build` takes after
#   comment:   a comment added to schema.sql (nothing to re-render),
#   migration: a table added to schema.sql and `schema new` run (one new
#              migration to render),
#   touch:     `touch src/main.rs` (the expansion read back from the disk cache).
#
#   scripts/bench_edit.sh [DIR] [ROUNDS]
#
# DIR (default /tmp/schema-bench-edit) gets a crate depending on this workspace's
# `sqlschema` by path, over the benchmark's synthetic project (500 tables x 15
# columns, 1,000 migrations: `gen_bench_project standard`), with its own target
# directory (the first run builds the dependencies: minutes). ROUNDS default 3.
# OPT3=1 adds the README's opt-level 3 lines for the macro's crates to the crate.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-/tmp/schema-bench-edit}"
ROUNDS="${2:-3}"
(cd "$ROOT" && cargo build -q --release -p schema-cli)
S="$ROOT/target/release/schema"
mkdir -p "$DIR/src"
if [[ ! -f "$DIR/schema.sql" ]]; then
    (cd "$ROOT" && cargo test -q --bench gen_bench_project -- standard "$DIR")
    (cd "$DIR" && "$S" sum >/dev/null)
fi
cat >"$DIR/Cargo.toml" <<EOF
[package]
name = "bench-edit"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
sqlschema = { path = "$ROOT", features = ["decimal", "json", "uuid"] }

[workspace]
EOF
if [[ -n "${OPT3:-}" ]]; then
    for p in schema-core sqlparser proc-macro2 quote; do
        printf '[profile.dev.package.%s]\nopt-level = 3\n' "$p" >>"$DIR/Cargo.toml"
    done
fi
cat >"$DIR/src/main.rs" <<'EOF'
sqlschema::schema!(online_lints = "off");

fn main() {
    println!("{} migrations", MIGRATIONS.len());
}
EOF
cp "$ROOT/Cargo.lock" "$DIR/Cargo.lock"
cd "$DIR"
export SCHEMA_MACRO_TIMINGS=1
# One build: the macro's milliseconds and the build's seconds.
build() {
    local t0 t1 out
    t0=$(date +%s.%N)
    out=$(cargo build 2>&1) || { echo "$out" | tail -20 >&2; exit 1; }
    t1=$(date +%s.%N)
    printf '%10s %10.2f' "$(echo "$out" | grep -o '[0-9.]* ms$' | tail -1)" "$(echo "$t1 - $t0" | bc)"
}
build >/dev/null
printf '%-6s %-10s %13s %10s\n' round edit 'schema!() ms' 'build s'
for r in $(seq "$ROUNDS"); do
    echo "-- edit $r $(date +%s%N)" >>schema.sql
    printf '%-6s %-10s %s\n' "$r" comment "$(build)"
    # A new table, and its migration.
    printf 'CREATE TABLE added_%s (id bigint PRIMARY KEY, note text);\n' "$(date +%s%N)" >>schema.sql
    "$S" new "add_table_$r" --online-lints off >/dev/null
    printf '%-6s %-10s %s\n' "$r" migration "$(build)"
    touch src/main.rs
    printf '%-6s %-10s %s\n' "$r" touch "$(build)"
done
