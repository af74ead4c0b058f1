// A column whose type in schema.sql is not the type the migrations leave it with.
sqlschema::schema!(
    schema = "tests/fixtures/ui/column_type_differs/schema.sql",
    migrations = "tests/fixtures/ui/column_type_differs/migrations",
);

fn main() {}
