//! Prints the SQL artifacts `build.rs` generated: the whole schema and each
//! migration, for PostgreSQL and for SQLite.

macro_rules! artifact {
    ($path:literal) => {
        ($path, include_str!(concat!(env!("OUT_DIR"), "/", $path)))
    };
}

const ARTIFACTS: &[(&str, &str)] = &[
    artifact!("postgres/schema.sql"),
    artifact!("postgres/migrations/20240101000000_create_users/up.sql"),
    artifact!("postgres/migrations/20240102000000_create_posts/up.sql"),
    artifact!("sqlite/schema.sql"),
    artifact!("sqlite/migrations/20240101000000_create_users/up.sql"),
    artifact!("sqlite/migrations/20240102000000_create_posts/up.sql"),
    artifact!("sqlite/migrations/20240102000000_create_posts/down.sql"),
];

fn main() {
    for (path, sql) in ARTIFACTS {
        println!("==> $OUT_DIR/{path}\n{sql}");
    }
}
