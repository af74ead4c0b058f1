// A field that is not a column of the table.
#[derive(sqlschema::Schema)]
#[schema(table = "resume_templates", partial)]
struct Template {
    id: i32,
    nmae: String,
    is_active: bool,
    layout: String,
}

fn main() {}
