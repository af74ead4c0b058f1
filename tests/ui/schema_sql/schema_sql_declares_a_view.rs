// A view schema.sql declares that no migration creates is an error naming it.
sqlschema::schema!(
    schema = "tests/fixtures/ui/schema_sql_has_a_view/schema.sql",
    migrations = "tests/fixtures/ui/schema_sql_has_a_view/migrations",
);

fn main() {}
