// A struct that does not say which table it models.
#[derive(sqlschema::Schema)]
struct User {
    id: i32,
}

fn main() {}
