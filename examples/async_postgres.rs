//! An async tokio application on PostgreSQL: it migrates with the async
//! driver on `tokio-postgres` inside a spawned task (the migrator's futures
//! are `Send`), inserts a user and reads back the key PostgreSQL generated,
//! then migrates and verifies a second database over an sqlx pool.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1/async_app \
//!     cargo run --example async_postgres --features tokio-postgres,sqlx-postgres
//! ```
//!
//! `DATABASE_URL` names a database that exists (it may be empty).

use sqlschema::runtime::driver::postgres_async::tokio_postgres_connection::connect;
use sqlschema::{Migrator, SqlxPostgresDriver};

sqlschema::schema!();

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to a postgres:// URL of a database that exists")?;

    // Migrate on tokio-postgres, in a task of its own.
    let mut driver = connect(&url).await?;
    let (mut driver, report) = tokio::spawn(async move {
        let report = Migrator::new(&MIGRATIONS).up_async(&mut driver).await;
        (driver, report)
    })
    .await?;
    println!("tokio-postgres: {} applied", report?.steps.len());

    // A row whose key the database generates (`serial`), read back.
    let row = driver
        .client()
        .query_one(
            "INSERT INTO users (username, password, email, created_at, updated_at) \
             VALUES ($1, $2, $3, now(), now()) RETURNING id",
            &[&"ada", &"secret", &"ada@example.com"],
        )
        .await?;
    let id: i32 = row.get(0);
    println!("inserted user {id}");
    let again = driver
        .client()
        .query_one(
            "INSERT INTO users (username, password, email, created_at, updated_at) \
             VALUES ($1, $2, $3, now(), now()) RETURNING id",
            &[&"grace", &"secret", &"grace@example.com"],
        )
        .await?;
    let next: i32 = again.get(0);
    assert_eq!(next, id + 1, "the sequence advances");
    println!("inserted user {next}");

    let verify = Migrator::new(&MIGRATIONS).verify_async(&mut driver).await?;
    println!(
        "tokio-postgres verify: {}",
        if verify.is_clean() { "clean" } else { "DRIFT" }
    );
    if !verify.is_clean() {
        return Err(format!("verify is not clean:\n{verify}").into());
    }

    // The same over an sqlx pool: a second migration run finds nothing to do.
    let pool = sqlx::PgPool::connect(&url).await?;
    let mut on_pool = SqlxPostgresDriver::from_pool(&pool).await?;
    let report = Migrator::new(&MIGRATIONS).up_async(&mut on_pool).await?;
    println!("sqlx: {} applied", report.steps.len());
    let verify = Migrator::new(&MIGRATIONS)
        .verify_async(&mut on_pool)
        .await?;
    println!(
        "sqlx verify: {}",
        if verify.is_clean() { "clean" } else { "DRIFT" }
    );
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await?;
    println!("users: {users}");
    Ok(())
}
