// A down.sql that does not restore the schema before its up.sql.
sqlschema::schema!(
    schema = "tests/fixtures/ui/down_does_not_undo_up/schema.sql",
    migrations = "tests/fixtures/ui/down_does_not_undo_up/migrations",
);

fn main() {}
