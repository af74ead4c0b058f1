//! The quickstart: the whole product in one run, on an embedded SQLite file.
//!
//! `schema!()` reads `schema.sql` and `migrations/` at compile time (the build
//! fails if they disagree), and generates `models` and `MIGRATIONS`. At run
//! time the migrator applies `MIGRATIONS` to a SQLite file, the generated
//! models write and read rows, and `status` and `verify` show that the
//! database is exactly what schema.sql declares.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use sqlschema::runtime::Step;
use sqlschema::runtime::migrator::Direction;
use sqlschema::{Migrator, SqliteDriver};

// The online lints (S05xx) judge what a migration locks on a busy PostgreSQL
// table; this app runs on SQLite, so they are off here.
sqlschema::schema!(online_lints = "off");

use models::{Resume, User};

fn progress(step: &Step) {
    if let (Direction::Up, Some(took)) = (step.direction, step.duration) {
        println!(
            "  applied {}_{} ({:.1} ms)",
            step.version,
            step.name,
            took.as_secs_f64() * 1000.0
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A fresh database file for every run.
    let path = std::env::temp_dir().join("schema-quickstart.db");
    let _ = std::fs::remove_file(&path);
    let mut db = SqliteDriver::open(&path)?;
    let migrator = Migrator::new(&MIGRATIONS).on_progress(&progress);

    println!(
        "1. migrate {} ({} embedded migrations)",
        path.display(),
        MIGRATIONS.len()
    );
    let report = migrator.up(&mut db)?;
    println!("   {} applied", report.steps.len());

    println!("2. write rows through the generated models");
    let now = chrono::Utc::now().naive_utc();
    let ada = User {
        id: 1,
        username: "ada".into(),
        password: "correct horse battery staple".into(),
        email: "ada@example.com".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        city: Some("London".into()),
        country: None,
        bio: None,
        created_at: now,
        updated_at: now,
    };
    ada.insert(db.connection())?;
    let resume = Resume {
        user_id: ada.id,
        serial_number: 1,
        title: "Analyst".into(),
        content: "Notes on the Analytical Engine.".into(),
        structured: Some(serde_json::json!({ "skills": ["mathematics", "programming"] })),
        created_at: now,
        updated_at: now,
    };
    resume.insert(db.connection())?;

    println!("3. read them back");
    let found = User::find(db.connection(), ada.id)?;
    assert_eq!(
        found.as_ref(),
        Some(&ada),
        "the row read back is the row written"
    );
    if let Some(user) = found {
        println!("   user {}: {} <{}>", user.id, user.username, user.email);
    }
    for r in Resume::all(db.connection())? {
        println!(
            "   resume ({}, {}): {:?} {}",
            r.user_id,
            r.serial_number,
            r.title,
            r.structured.map(|s| s.to_string()).unwrap_or_default()
        );
    }

    println!("4. status");
    let status = migrator.status(&mut db)?;
    for line in status.to_string().lines() {
        println!("   {line}");
    }

    println!("5. verify the live schema against schema.sql");
    let verified = migrator.verify(&mut db)?;
    println!("   {verified}");
    if !verified.is_clean() {
        return Err("the database drifted from schema.sql".into());
    }

    let again = migrator.up(&mut db)?;
    println!("6. migrate again: {} to apply; done", again.steps.len());
    Ok(())
}
