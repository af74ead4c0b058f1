#!/usr/bin/env bash
# Builds the fuzz corpora from the repository's own SQL, so seeds never go stale:
#   parse:   schema.sql, every migration's up.sql, every canonical fixture, the pg_dump
#   analyze: schema.sql, then for each demo migration schema.sql 0xFF up.sql 0xFF down.sql
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/parse fuzz/corpus/analyze
cp schema.sql fuzz/corpus/parse/demo_schema.sql
cp tests/fixtures/pg_dump/demo.sql fuzz/corpus/parse/pg_dump_demo.sql
cp tests/fixtures/canonical/*.sql fuzz/corpus/parse/
cp schema.sql fuzz/corpus/analyze/schema_only.sql
for m in migrations/*/; do
  name=$(basename "$m")
  cp "$m/up.sql" "fuzz/corpus/parse/${name}_up.sql"
  { cat schema.sql; printf '\xff'; cat "$m/up.sql"; printf '\xff'; cat "$m/down.sql"; } \
    > "fuzz/corpus/analyze/$name"
done
echo "corpora: $(ls fuzz/corpus/parse | wc -l) parse, $(ls fuzz/corpus/analyze | wc -l) analyze"
