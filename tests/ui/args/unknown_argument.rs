// `schema!()` takes `schema = ".."` and `migrations = ".."` only.
schema::schema!(schema_file = "schema.sql");

fn main() {}
