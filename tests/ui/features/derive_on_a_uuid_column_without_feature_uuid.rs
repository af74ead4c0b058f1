// A struct modelling a `uuid` column while feature `uuid` of `schema` is off.
#[derive(schema::Schema)]
#[schema(table = "sessions", schema = "tests/fixtures/ui/uuid_column/schema.sql")]
struct Session {
    id: u128,
    user_name: String,
}

fn main() {}
