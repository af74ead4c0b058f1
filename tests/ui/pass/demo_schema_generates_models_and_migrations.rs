// The demo project (schema.sql + migrations/ next to Cargo.toml) checks clean
// and generates one struct per table, one enum per enum type and MIGRATIONS.
use sqlschema::Model;

sqlschema::schema!();

fn main() {
    let user = models::User {
        id: 1,
        username: "ada".to_string(),
        password: "x".to_string(),
        email: "ada@example.com".to_string(),
        first_name: Some("Ada".to_string()),
        last_name: None,
        city: None,
        country: None,
        bio: None,
        created_at: Default::default(),
        updated_at: Default::default(),
    };
    assert_eq!(user.username, "ada");
    assert_eq!(models::User::TABLE, "users");
    assert_eq!(models::Resume::PRIMARY_KEY, ["user_id", "serial_number"]);
    assert_eq!(models::DocumentStatus::Ready.as_str(), "ready");
    assert!(!MIGRATIONS.is_empty());
}
