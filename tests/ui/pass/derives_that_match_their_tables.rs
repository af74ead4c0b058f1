// Structs that match their tables, field by field, in the forms users write.
use sqlschema::Model;

#[derive(sqlschema::Schema)]
#[schema(table = "users")]
#[allow(dead_code)]
struct User {
    id: i32,
    username: String,
    password: std::string::String,
    #[schema(column = "email")]
    email_address: String,
    first_name: Option<String>,
    last_name: Option<String>,
    city: ::core::option::Option<String>,
    country: Option<String>,
    bio: Option<String>,
    created_at: chrono::NaiveDateTime,
    updated_at: Option<chrono::NaiveDateTime>,
}

#[derive(sqlschema::Schema)]
#[schema(table = "google_auth_tokens", partial)]
#[allow(dead_code)]
struct Token {
    user_id: i32,
    token_expiry: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(sqlschema::Schema)]
#[schema(table = "sessions", schema = "tests/fixtures/ui/uuid_column/schema.sql", partial)]
#[allow(dead_code)]
struct Session {
    user_name: String,
}

fn main() {
    assert_eq!(User::TABLE, "users");
    assert_eq!(User::COLUMNS[3], "email");
    assert_eq!(Token::PRIMARY_KEY, ["id"]);
    assert_eq!(Session::COLUMNS, ["user_name"]);
}
