// A struct that does not say which table it models.
#[derive(schema::Schema)]
struct User {
    id: i32,
}

fn main() {}
