//! An async tokio application on PostgreSQL: it migrates with the async
//! driver on `tokio-postgres` inside a spawned task (the migrator's futures
//! are `Send`), inserts users through the generated models and reads back the
//! keys PostgreSQL generated, then migrates, verifies and reads the rows over
//! an sqlx pool.
//!
//! ```sh
//! DATABASE_URL=postgres://postgres@127.0.0.1/async_app \
//!     cargo run --example async_postgres --features tokio-postgres,sqlx-postgres
//! ```
//!
//! `DATABASE_URL` names a database that exists (it may be empty).

use sqlschema::runtime::driver::postgres_async::tokio_postgres_connection::connect;
use sqlschema::{Migrator, SqlxPostgresDriver};

// The demo's migrations up to this version ran before the online lints
// (S05xx) were adopted; every later one is judged.
sqlschema::schema!(online_after = 20240408113000);

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

    // Rows through the generated models: the key the database generates
    // (`serial`) comes back in the row `insert_async` returns.
    let now = chrono::Utc::now().naive_utc();
    let new_user = |name: &str| models::NewUser {
        id: None,
        username: name.to_string(),
        password: "secret".to_string(),
        email: format!("{name}@example.com"),
        first_name: None,
        last_name: None,
        city: None,
        country: None,
        bio: None,
        created_at: now,
        updated_at: now,
    };
    let ada = new_user("ada").insert_async(&*driver.client()).await?;
    println!("inserted user {}", ada.id);
    let grace = new_user("grace").insert_async(&*driver.client()).await?;
    assert_eq!(grace.id, ada.id + 1, "the sequence advances");
    println!("inserted user {}", grace.id);
    let found = models::User::find_async(&*driver.client(), ada.id).await?;
    println!(
        "found user {}: {}",
        ada.id,
        found.map_or_else(|| "none".to_string(), |u| u.username)
    );

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
    let users = models::User::all_async(&pool).await?;
    println!("users: {}", users.len());
    Ok(())
}
