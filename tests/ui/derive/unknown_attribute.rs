// An attribute `#[derive(Schema)]` does not know.
#[derive(sqlschema::Schema)]
#[schema(table = "users", partial, strict)]
struct User {
    #[schema(rename = "id")]
    key: i32,
}

fn main() {}
