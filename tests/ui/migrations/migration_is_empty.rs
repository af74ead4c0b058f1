// A migration committed with an empty up.sql.
sqlschema::schema!(
    schema = "tests/fixtures/ui/migration_is_empty/schema.sql",
    migrations = "tests/fixtures/ui/migration_is_empty/migrations",
);

fn main() {}
