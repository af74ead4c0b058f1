// A derive that a column's type cannot have (`PartialOrd` on a `json` column,
// `serde_json::Value`) is an error on the derive that names the column.
sqlschema::schema!(derive(Eq, PartialOrd));

fn main() {}
