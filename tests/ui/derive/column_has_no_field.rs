// A column of the table that the struct has no field for (and the struct is not `partial`).
#[derive(sqlschema::Schema)]
#[schema(table = "resume_templates")]
struct Template {
    id: i32,
    name: String,
    style_config: serde_json::Value,
    sections: serde_json::Value,
}

fn main() {}
