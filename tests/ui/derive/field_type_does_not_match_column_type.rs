// A field whose type is not the Rust type of its column.
#[derive(sqlschema::Schema)]
#[schema(table = "users", partial)]
struct Account {
    id: i64,
    email: String,
    last_name: Option<i32>,
    created_at: String,
}

fn main() {}
