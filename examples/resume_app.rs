//! The resume app of `schema.sql`, end to end: migrate, then create, read,
//! update and delete rows of every kind the app has (a composite primary key,
//! a composite foreign key, an enum, JSON), then `status` and `verify`.
//!
//! It runs on PostgreSQL when `DATABASE_URL` is a `postgres://` URL, and on a
//! SQLite file otherwise:
//!
//! ```sh
//! cargo run --example resume_app                                   # SQLite
//! createdb resume_app
//! DATABASE_URL=postgres://postgres@127.0.0.1/resume_app cargo run --example resume_app
//! ```
//!
//! On PostgreSQL it works in the database the URL names and leaves the rows
//! behind; run it on a fresh database (a second run stops at the first insert,
//! whose key is taken).

use sqlschema::runtime::Executor;
use sqlschema::runtime::driver::postgres::PostgresDriver;
use sqlschema::{Driver, Migrator, SqliteDriver};

// The demo's migrations up to this version ran before the online lints
// (S05xx) were adopted; every later one is judged.
sqlschema::schema!(online_after = 20240408113000);

use models::{DocumentStatus, GeneratedDocument, Resume, ResumeTemplate, User, UserSite};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        println!("on PostgreSQL: {url}");
        let mut db = PostgresDriver::connect(&url)?;
        migrate(&mut db)?;
        rows(&mut *db.client())?;
        check(&mut db)
    } else {
        let path = std::env::temp_dir().join("schema-resume-app.db");
        let _ = std::fs::remove_file(&path);
        println!(
            "on SQLite: {} (set DATABASE_URL=postgres://... for PostgreSQL)",
            path.display()
        );
        let mut db = SqliteDriver::open(&path)?;
        migrate(&mut db)?;
        rows(db.connection())?;
        check(&mut db)
    }
}

fn migrate(db: &mut dyn Driver) -> Result<(), Box<dyn std::error::Error>> {
    let report = Migrator::new(&MIGRATIONS).up(db)?;
    println!("migrated: {} applied", report.steps.len());
    Ok(())
}

fn check(db: &mut dyn Driver) -> Result<(), Box<dyn std::error::Error>> {
    let migrator = Migrator::new(&MIGRATIONS);
    println!("{}", migrator.status(db)?);
    let verified = migrator.verify(db)?;
    println!("{verified}");
    if verified.is_clean() {
        Ok(())
    } else {
        Err("the database drifted from schema.sql".into())
    }
}

/// The rows of the app, written and read back.
struct Fixture {
    user: User,
    resume: Resume,
    site: UserSite,
    template: ResumeTemplate,
    document: GeneratedDocument,
}

fn fixture() -> Fixture {
    let now = chrono::Utc::now().naive_utc();
    // Microseconds: what both databases keep.
    let now = chrono::DateTime::from_timestamp_micros(now.and_utc().timestamp_micros())
        .map_or(now, |t| t.naive_utc());
    Fixture {
        user: User {
            id: 7,
            username: "grace".into(),
            password: "hopper".into(),
            email: "grace@example.com".into(),
            first_name: Some("Grace".into()),
            last_name: Some("Hopper".into()),
            city: None,
            country: Some("US".into()),
            bio: Some("Found the first actual bug.".into()),
            created_at: now,
            updated_at: now,
        },
        resume: Resume {
            user_id: 7,
            serial_number: 1,
            title: "Rear Admiral".into(),
            content: "COBOL, compilers, nanoseconds.".into(),
            structured: Some(serde_json::json!({ "languages": ["COBOL", "FLOW-MATIC"] })),
            created_at: now,
            updated_at: now,
        },
        site: UserSite {
            id: 1,
            user_id: 7,
            resume_serial: 1,
            subdomain: "grace".into(),
            created_at: now,
            updated_at: now,
        },
        template: ResumeTemplate {
            id: 1,
            name: "classic".into(),
            style_config: serde_json::json!({ "font": "Garamond" }),
            sections: serde_json::json!(["experience", "education"]),
            is_active: true,
            created_at: now,
        },
        document: GeneratedDocument {
            id: 1,
            user_id: 7,
            resume_id: 1,
            template_id: 1,
            google_doc_id: "doc-1".into(),
            status: DocumentStatus::Pending,
            created_at: now,
        },
    }
}

/// A connection that lends an [`Executor`] for each call.
trait Connection {
    /// The executor lent.
    type Exec<'a>: Executor
    where
        Self: 'a;
    /// A fresh executor for one call.
    fn db(&mut self) -> Self::Exec<'_>;
}

impl Connection for &mut postgres::Client {
    type Exec<'a>
        = &'a mut postgres::Client
    where
        Self: 'a;
    fn db(&mut self) -> Self::Exec<'_> {
        &mut **self
    }
}

impl<'c> Connection for &'c rusqlite::Connection {
    type Exec<'a>
        = &'c rusqlite::Connection
    where
        Self: 'a;
    fn db(&mut self) -> Self::Exec<'_> {
        self
    }
}

/// The same steps on either database.
fn rows(mut c: impl Connection) -> Result<(), Box<dyn std::error::Error>> {
    let mut f = fixture();
    f.user.insert(c.db())?;
    f.resume.insert(c.db())?;
    f.site.insert(c.db())?;
    f.template.insert(c.db())?;
    f.document.insert(c.db())?;
    println!("inserted a user, a resume, a site, a template and a document");

    let read = Resume::find(c.db(), f.resume.key())?;
    assert_eq!(read.as_ref(), Some(&f.resume), "composite key, JSON");
    f.document.status = DocumentStatus::Ready;
    assert!(f.document.update(c.db())?, "the document exists");
    let read = GeneratedDocument::find(c.db(), f.document.id)?;
    assert_eq!(
        read.map(|d| d.status),
        Some(DocumentStatus::Ready),
        "enum updated"
    );
    println!("updated the document to `{}`", DocumentStatus::Ready);

    assert!(f.site.delete(c.db())?, "the site existed");
    assert!(UserSite::all(c.db())?.is_empty(), "the site is gone");
    println!(
        "deleted the site; {} user(s) and {} resume(s) remain",
        User::all(c.db())?.len(),
        Resume::all(c.db())?.len()
    );
    Ok(())
}
