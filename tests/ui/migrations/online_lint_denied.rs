// A migration that builds an index on an existing table without CONCURRENTLY,
// with the online lints made errors.
sqlschema::schema!(
    schema = "tests/fixtures/ui/online_index/schema.sql",
    migrations = "tests/fixtures/ui/online_index/migrations",
    online_lints = "deny",
);

fn main() {}
