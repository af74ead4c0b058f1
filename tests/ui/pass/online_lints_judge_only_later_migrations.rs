// The same migration, judged no more: it ran before the online lints were adopted.
#![deny(deprecated)]

sqlschema::schema!(
    schema = "tests/fixtures/ui/online_index/schema.sql",
    migrations = "tests/fixtures/ui/online_index/migrations",
    online_after = 20240102000000,
);

fn main() {}
