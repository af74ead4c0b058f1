// A nullable column modelled by a field that is not an `Option`.
#[derive(sqlschema::Schema)]
#[schema(table = "users", partial)]
struct Profile {
    id: i32,
    bio: String,
}

fn main() {}
