// A syntax error in schema.sql is reported at its line and column.
sqlschema::schema!(
    schema = "tests/fixtures/ui/schema_sql_does_not_parse/schema.sql",
    migrations = "tests/fixtures/ui/schema_sql_does_not_parse/migrations",
);

fn main() {}
