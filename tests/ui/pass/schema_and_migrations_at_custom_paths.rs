// `schema = ".."` and `migrations = ".."` name another project's files.
use sqlschema::Model;

sqlschema::schema!(
    schema = "tests/fixtures/ui/notes/schema.sql",
    migrations = "tests/fixtures/ui/notes/migrations",
);

fn main() {
    let note = models::Note { id: 1, body: "hello".to_string() };
    assert_eq!(note.body, "hello");
    assert_eq!(models::Note::COLUMNS, ["id", "body"]);
    assert_eq!(MIGRATIONS.len(), 1);
}
