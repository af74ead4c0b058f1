// Labels, models and fields that would share a Rust name: every clash of the
// schema is reported in the same build, not one per build.
sqlschema::schema!(
    schema = "tests/fixtures/ui/names_that_clash/schema.sql",
    migrations = "tests/fixtures/ui/names_that_clash/migrations",
);

fn main() {}
