//! An sqlx application on SQLite: it migrates the pool it already has with
//! the async driver (the migration runs in a spawned task), writes and reads
//! a row through the generated models on the same pool, and verifies that the database is what schema.sql
//! declares.
//!
//! ```sh
//! cargo run --example sqlx_sqlite --features sqlx-sqlite
//! ```

use sqlschema::{Migrator, SqlxSqliteDriver};

// The online lints (S05xx) judge PostgreSQL's locks; this app runs on SQLite.
sqlschema::schema!(online_lints = "off");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let path = std::env::temp_dir().join(format!("schema-sqlx-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;

    let mut driver = SqlxSqliteDriver::from_pool(&pool).await?;
    let (mut driver, report) = tokio::spawn(async move {
        let report = Migrator::new(&MIGRATIONS).up_async(&mut driver).await;
        (driver, report)
    })
    .await?;
    println!("sqlx sqlite: {} applied", report?.steps.len());

    let now = chrono::Utc::now().naive_utc();
    let ada = models::NewUser {
        id: None,
        username: "ada".to_string(),
        password: "secret".to_string(),
        email: "ada@example.com".to_string(),
        first_name: None,
        last_name: None,
        city: None,
        country: None,
        bio: None,
        created_at: now,
        updated_at: now,
    }
    .insert_async(&pool)
    .await?;
    println!("inserted user {}", ada.id);
    let found = models::User::find_async(&pool, ada.id).await?;
    println!(
        "found: {}",
        found.as_ref().map_or("none", |u| u.email.as_str())
    );
    let mut moved = found.ok_or("the user just inserted is not found")?;
    moved.city = Some("London".to_string());
    println!("updated: {}", moved.update_async(&pool).await?);
    let again = models::User::find_async(&pool, ada.id).await?;
    println!("city: {}", again.and_then(|u| u.city).unwrap_or_default());
    println!("deleted: {}", moved.delete_async(&pool).await?);
    println!("left: {}", models::User::all_async(&pool).await?.len());

    let verify = Migrator::new(&MIGRATIONS).verify_async(&mut driver).await?;
    println!(
        "sqlx sqlite verify: {}",
        if verify.is_clean() { "clean" } else { "DRIFT" }
    );
    drop(driver);
    pool.close().await;
    let _ = std::fs::remove_file(&path);
    if !verify.is_clean() {
        return Err(format!("verify is not clean:\n{verify}").into());
    }
    Ok(())
}
