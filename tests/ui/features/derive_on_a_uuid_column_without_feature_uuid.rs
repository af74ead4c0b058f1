// A struct modelling a `uuid` column while feature `uuid` of `sqlschema` is off.
#[derive(sqlschema::Schema)]
#[schema(table = "sessions", schema = "tests/fixtures/ui/uuid_column/schema.sql")]
struct Session {
    id: u128,
    user_name: String,
}

fn main() {}
