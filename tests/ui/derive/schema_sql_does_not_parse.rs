// A struct checked against a schema.sql that does not parse: one error, which
// shows the file's first error, whatever the number of derives.
#[derive(sqlschema::Schema)]
#[schema(table = "notes", schema = "tests/fixtures/ui/schema_sql_does_not_parse/schema.sql")]
struct Note {
    id: i32,
    body: String,
}

fn main() {}
