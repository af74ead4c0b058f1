//! Checks `schema.sql` against `migrations/` (the build fails on drift) and writes
//! the PostgreSQL and SQLite artifacts to `OUT_DIR` and to the committed `sql/`.

fn main() {
    schema_core::build::Config::new()
        .also_write_to("sql")
        .compile()
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        })
}
