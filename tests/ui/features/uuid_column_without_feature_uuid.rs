// A `uuid` column while feature `uuid` of `schema` is off.
schema::schema!(
    schema = "tests/fixtures/ui/uuid_column/schema.sql",
    migrations = "tests/fixtures/ui/uuid_column/migrations",
);

fn main() {}
