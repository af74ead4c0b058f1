// A primary key declared in schema.sql (added on the server) that no migration creates.
sqlschema::schema!(
    schema = "tests/fixtures/ui/primary_key_declared_but_never_migrated/schema.sql",
    migrations = "tests/fixtures/ui/primary_key_declared_but_never_migrated/migrations",
);

fn main() {}
