// A struct that names a table schema.sql does not declare.
#[derive(sqlschema::Schema)]
#[schema(table = "user")]
struct User {
    id: i32,
}

fn main() {}
