// The same migration with the online lints as warnings (the default), which
// are the `deprecated` lint's: a crate that denies it stops at the warning.
#![deny(deprecated)]

sqlschema::schema!(
    schema = "tests/fixtures/ui/online_index/schema.sql",
    migrations = "tests/fixtures/ui/online_index/migrations",
);

fn main() {}
