// A table declared in schema.sql that no migration creates (the `create_all()` table).
sqlschema::schema!(
    schema = "tests/fixtures/ui/table_declared_but_never_migrated/schema.sql",
    migrations = "tests/fixtures/ui/table_declared_but_never_migrated/migrations",
);

fn main() {}
