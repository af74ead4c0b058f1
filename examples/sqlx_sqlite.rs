//! An sqlx application on SQLite: it migrates the pool it already has with
//! the async driver (the migration runs in a spawned task), writes and reads
//! a row with sqlx, and verifies that the database is what schema.sql
//! declares.
//!
//! ```sh
//! cargo run --example sqlx_sqlite --features sqlx-sqlite
//! ```

use sqlschema::{Migrator, SqlxSqliteDriver};

sqlschema::schema!();

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

    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password, email, created_at, updated_at) \
         VALUES (?1, ?2, ?3, datetime('now'), datetime('now')) RETURNING id",
    )
    .bind("ada")
    .bind("secret")
    .bind("ada@example.com")
    .fetch_one(&pool)
    .await?;
    println!("inserted user {id}");

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
