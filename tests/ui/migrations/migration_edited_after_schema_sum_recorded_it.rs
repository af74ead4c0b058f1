// A migration file edited after schema.sum recorded its checksum.
sqlschema::schema!(
    schema = "tests/fixtures/ui/migration_edited_after_schema_sum/schema.sql",
    migrations = "tests/fixtures/ui/migration_edited_after_schema_sum/migrations",
);

fn main() {}
