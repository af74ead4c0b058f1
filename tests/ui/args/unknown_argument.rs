// `schema!()` takes `schema = ".."` and `migrations = ".."` only.
sqlschema::schema!(schema_file = "schema.sql");

fn main() {}
