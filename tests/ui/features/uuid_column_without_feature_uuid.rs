// A `uuid` column while feature `uuid` of `sqlschema` is off.
sqlschema::schema!(
    schema = "tests/fixtures/ui/uuid_column/schema.sql",
    migrations = "tests/fixtures/ui/uuid_column/migrations",
);

fn main() {}
