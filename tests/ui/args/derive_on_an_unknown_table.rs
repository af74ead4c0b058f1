// `derive(table: Trait)` names a table of schema.sql.
sqlschema::schema!(derive(user: Hash), attr(resume: non_exhaustive));

fn main() {}
